package io.pessimism.id;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A value of the seed's byte-coded vocabularies (network, pipeline type, component type): one byte
 * in PIDs, one lower-case label in strings and topic names. The static helpers give every such enum
 * the same parsing and the same error messages.
 */
public interface Coded {

    /** The byte written into PIDs. */
    byte id();

    /** The lower-case label written into PID strings and topic names. */
    String label();

    /** Finds the constant with this label, ignoring case; the error lists the valid labels. */
    static <E extends Enum<E> & Coded> E parse(Class<E> type, String what, String text) {
        if (text == null) {
            throw new IllegalArgumentException(what + " is missing; valid values: " + labels(type));
        }
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.label().equals(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException(
                "unknown " + what + " \"" + text + "\"; valid values: " + labels(type));
    }

    /** Finds the constant with this byte id; the error lists the valid ids. */
    static <E extends Enum<E> & Coded> E fromId(Class<E> type, String what, byte id) {
        for (E constant : type.getEnumConstants()) {
            if (constant.id() == id) {
                return constant;
            }
        }
        String valid = Arrays.stream(type.getEnumConstants())
                .map(c -> c.id() + "=" + c.label())
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "unknown " + what + " id " + id + "; valid ids: " + valid);
    }

    /** The valid labels, comma separated, in declaration order. */
    static <E extends Enum<E> & Coded> String labels(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(Coded::label)
                .collect(Collectors.joining(", "));
    }
}
