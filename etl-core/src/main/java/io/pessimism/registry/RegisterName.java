package io.pessimism.registry;

import java.util.regex.Pattern;

/**
 * The rule for register names. Names appear in PID strings and topic names, so they are short,
 * lower case and free of the separators those use ({@code : . - @}).
 */
public final class RegisterName {

    /**
     * Longest register name. A non-shared pipeline prefix holds two register names, the namespace
     * and a 32-digit UUID; with this bound every prefix fits {@code TopicNames.MAX_PREFIX_LENGTH}.
     */
    public static final int MAX_LENGTH = 28;

    private static final Pattern LEGAL = Pattern.compile("[a-z0-9_]+");

    private RegisterName() {
    }

    /** Returns the name when legal, else fails naming it and the rule. */
    public static String require(String name) {
        if (name == null || !LEGAL.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "register name \"" + name + "\" is illegal: must match [a-z0-9_]+");
        }
        if (name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("register name \"" + name + "\" is illegal: "
                    + name.length() + " characters, at most " + MAX_LENGTH + " allowed");
        }
        return name;
    }
}
