package io.pessimism.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a setting's text becomes a typed value and back (for {@code describe()} and the docs).
 * {@link #parse} throws {@link IllegalArgumentException} with the reason when the text is not a
 * value of the type.
 */
public final class SettingType<T> {

    public static final SettingType<String> STRING = new SettingType<>("string", s -> s, s -> s);
    public static final SettingType<Integer> INT = new SettingType<>("int",
            s -> number(s, Integer::valueOf), String::valueOf);
    public static final SettingType<Long> LONG = new SettingType<>("long",
            s -> number(s, Long::valueOf), String::valueOf);
    public static final SettingType<Short> SHORT = new SettingType<>("short",
            s -> number(s, Short::valueOf), String::valueOf);
    public static final SettingType<Boolean> BOOLEAN = new SettingType<>("boolean",
            SettingType::parseBoolean, String::valueOf);
    /** {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}, or ISO-8601 such as {@code PT1.5S}. */
    public static final SettingType<Duration> DURATION = new SettingType<>("duration",
            SettingType::parseDuration, SettingType::formatDuration);
    public static final SettingType<Path> PATH = new SettingType<>("path", Path::of,
            Path::toString);
    /** {@code off}, {@code receipts} or {@code traces} (see {@link ContractCreations}). */
    public static final SettingType<ContractCreations> CONTRACT_CREATIONS = new SettingType<>(
            "enum", ContractCreations::parse, ContractCreations::label);
    /** {@code text} or {@code json} (see {@link LogFormat}). */
    public static final SettingType<LogFormat> LOG_FORMAT = new SettingType<>("enum", LogFormat::parse,
            LogFormat::label);

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final String name;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;

    private SettingType(String name, Function<String, T> parser, Function<T, String> formatter) {
        this.name = name;
        this.parser = parser;
        this.formatter = formatter;
    }

    /** The type's name in docs and errors: {@code int}, {@code duration}, ... */
    public String name() {
        return name;
    }

    /** The value of {@code text} (already trimmed). */
    public T parse(String text) {
        return parser.apply(Objects.requireNonNull(text, "text"));
    }

    /** The text that parses back to {@code value}. */
    public String format(T value) {
        return formatter.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }

    private static <N> N number(String text, Function<String, N> parser) {
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("is not a whole number in range");
        }
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("is not true or false");
        };
    }

    private static Duration parseDuration(String text) {
        Matcher matcher = SHORT_DURATION.matcher(text);
        try {
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            }
            return Duration.parse(text);
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(
                    "is not a duration such as 500ms, 1s, 2m, 1h or PT1.5S");
        }
    }

    // The largest whole unit, so "1s" formats as "1s" and 1500 ms as "1500ms".
    private static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
