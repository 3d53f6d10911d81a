package io.pessimism.config;

import io.pessimism.topic.TopicNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A rule a setting's typed value must follow. {@link #rule()} completes the sentence
 * "{@code <key>: <value> (from <source>) ...}" in errors and fills the docs' "valid values".
 */
public record Validator<T>(String rule, Predicate<? super T> test) {

    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+:\\d{1,5}");

    public Validator {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(test, "test");
    }

    /** Whether {@code value} follows the rule. */
    public boolean accepts(T value) {
        return test.test(value);
    }

    /** Accepts every value of the type. */
    public static <T> Validator<T> any() {
        return new Validator<>("", v -> true);
    }

    public static <N extends Number> Validator<N> atLeast(long min) {
        return new Validator<>("must be >= " + min, n -> n.longValue() >= min);
    }

    public static <N extends Number> Validator<N> between(long min, long max) {
        return new Validator<>("must be in " + min + ".." + max,
                n -> n.longValue() >= min && n.longValue() <= max);
    }

    /** {@code -1} (forever) or a positive number. */
    public static Validator<Long> retention() {
        return new Validator<>("must be -1 (forever) or > 0", n -> n == -1 || n > 0);
    }

    public static Validator<Duration> atLeast(Duration min) {
        return new Validator<>("must be >= " + SettingType.DURATION.format(min),
                d -> d.compareTo(min) >= 0);
    }

    public static Validator<Duration> between(Duration min, Duration max) {
        return new Validator<>("must be in " + SettingType.DURATION.format(min) + ".." + SettingType.DURATION.format(max),
                d -> d.compareTo(min) >= 0 && d.compareTo(max) <= 0);
    }

    public static Validator<String> notBlank() {
        return new Validator<>("must not be blank", s -> !s.isBlank());
    }

    public static Validator<String> minLength(int min) {
        return new Validator<>("must be at least " + min + " characters",
                s -> s.length() >= min);
    }

    /** One of these values, exactly. */
    public static Validator<String> oneOf(java.util.Set<String> values) {
        String list = String.join(", ", new java.util.TreeSet<>(values));
        return new Validator<>("must be one of " + list, values::contains);
    }

    /** {@code user:password}, both parts non-empty. */
    public static Validator<String> userInfo() {
        return new Validator<>("must be user:password", s -> s.indexOf(':') > 0 && s.indexOf(':') < s.length() - 1);
    }

    /** An absolute URL with one of these schemes and a host. */
    public static Validator<String> url(String... schemes) {
        String list = String.join(" or ", schemes);
        return new Validator<>("must be a " + list + " URL with a host", s -> {
            try {
                URI uri = new URI(s);
                return uri.getHost() != null && uri.getScheme() != null
                        && Arrays.asList(schemes).contains(uri.getScheme());
            } catch (URISyntaxException e) {
                return false;
            }
        });
    }

    /** A comma-separated list of {@code host:port}. */
    public static Validator<String> hostPorts() {
        return new Validator<>("must be a comma-separated list of host:port", s -> {
            for (String part : s.split(",", -1)) {
                if (!HOST_PORT.matcher(part.trim()).matches()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The topic namespace rule of {@link TopicNames#requireNamespace}. */
    public static Validator<String> namespace() {
        return new Validator<>("must match [a-zA-Z0-9_-]+ with at most "
                + TopicNames.MAX_NAMESPACE_LENGTH + " characters", s -> {
                    try {
                        TopicNames.requireNamespace(s);
                        return true;
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                });
    }
}
