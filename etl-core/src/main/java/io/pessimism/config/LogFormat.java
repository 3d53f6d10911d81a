package io.pessimism.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the services write their log lines to stderr ({@code log.format}): one readable line per
 * event, or one JSON object per line for a log collector. Both carry the line's pipeline
 * ({@code puuid}, {@code pipeline}) or oracle ({@code network}, {@code register}) when it has one.
 */
public enum LogFormat {
    /** {@code time level logger [puuid=… | oracle=network.register] - message}. */
    TEXT("text"),
    /** logback's {@code JsonEncoder}: one object per line, the MDC under {@code mdc}. */
    JSON("json");

    private final String label;

    LogFormat(String label) {
        this.label = label;
    }

    /** The setting's text, also the name of its appender in {@code logback.xml}. */
    public String label() {
        return label;
    }

    /** Parses a label, ignoring case; the error lists the valid ones. */
    public static LogFormat parse(String text) {
        for (LogFormat value : values()) {
            if (value.label.equals(text.toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("is not one of "
                + Arrays.stream(values()).map(LogFormat::label).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return label;
    }
}
