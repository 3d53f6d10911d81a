package io.pessimism.interest;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The canonical Solidity ABI types an event signature may hold (the form hashed into topic0):
 * {@code uint<M>}/{@code int<M>} (M = 8..256, step 8), {@code address}, {@code bool},
 * {@code bytes<M>} (M = 1..32), {@code bytes}, {@code string}, {@code function},
 * {@code fixed<M>x<N>}/{@code ufixed<M>x<N>} (N = 1..80), tuples {@code (T1,T2)}, and arrays
 * {@code T[]} / {@code T[k]} of any of them. Aliases such as {@code uint} hash differently, so
 * they are refused with the canonical spelling.
 */
final class SolidityTypes {

    private static final Map<String, String> ALIASES = Map.of(
            "uint", "uint256", "int", "int256", "byte", "bytes1",
            "fixed", "fixed128x18", "ufixed", "ufixed128x18");
    private static final Pattern INTEGER = Pattern.compile("u?int([1-9][0-9]*)");
    private static final Pattern FIXED_BYTES = Pattern.compile("bytes([1-9][0-9]*)");
    private static final Pattern FIXED_POINT = Pattern.compile("u?fixed([1-9][0-9]*)x([1-9][0-9]*)");
    private static final Pattern ARRAY_SUFFIX = Pattern.compile("\\[([1-9][0-9]*)?]");

    private SolidityTypes() {
    }

    /** Why {@code type} (one parameter, no spaces) is not a canonical ABI type; empty when it is. */
    static Optional<String> problem(String type) {
        if (type.isEmpty()) {
            return Optional.of("an empty parameter type");
        }
        String base = type;
        while (base.endsWith("]")) {
            int open = base.lastIndexOf('[');
            if (open < 0 || !ARRAY_SUFFIX.matcher(base.substring(open)).matches()) {
                return Optional.of("\"" + type + "\" has an illegal array suffix (T[] or T[k], k >= 1)");
            }
            base = base.substring(0, open);
        }
        if (base.startsWith("(")) {
            return tupleProblem(base);
        }
        return elementaryProblem(base);
    }

    private static Optional<String> tupleProblem(String tuple) {
        if (!tuple.endsWith(")") || tuple.length() == 2) {
            return Optional.of("\"" + tuple + "\" is not a tuple (T1,T2,...) of at least one type");
        }
        for (String member : Parameters.split(tuple.substring(1, tuple.length() - 1))) {
            Optional<String> problem = problem(member);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> elementaryProblem(String type) {
        if (ALIASES.containsKey(type)) {
            return Optional.of("\"" + type + "\" is not canonical, write " + ALIASES.get(type));
        }
        switch (type) {
            case "address", "bool", "bytes", "string", "function" -> {
                return Optional.empty();
            }
            default -> {
                // checked below
            }
        }
        Matcher integer = INTEGER.matcher(type);
        if (integer.matches()) {
            return bitsProblem(type, integer.group(1));
        }
        Matcher bytes = FIXED_BYTES.matcher(type);
        if (bytes.matches()) {
            int size = parse(bytes.group(1));
            return size >= 1 && size <= 32 ? Optional.empty()
                    : Optional.of("\"" + type + "\": bytes<M> needs M in 1..32");
        }
        Matcher fixed = FIXED_POINT.matcher(type);
        if (fixed.matches()) {
            int decimals = parse(fixed.group(2));
            if (decimals < 1 || decimals > 80) {
                return Optional.of("\"" + type + "\": fixed<M>x<N> needs N in 1..80");
            }
            return bitsProblem(type, fixed.group(1));
        }
        return Optional.of("\"" + type + "\" is not a Solidity ABI type");
    }

    private static Optional<String> bitsProblem(String type, String digits) {
        int bits = parse(digits);
        return bits >= 8 && bits <= 256 && bits % 8 == 0 ? Optional.empty()
                : Optional.of("\"" + type + "\": the size must be a multiple of 8 in 8..256");
    }

    // Digit strings here are short; an absurd one is simply out of range.
    private static int parse(String digits) {
        return digits.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
