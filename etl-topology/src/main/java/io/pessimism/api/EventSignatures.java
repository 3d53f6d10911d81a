package io.pessimism.api;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks event signatures: the canonical form {@code Name(type,…)} whose keccak-256 is a log's
 * topic0, with no spaces, parameter names or {@code indexed}, and valid Solidity ABI types. A
 * non-canonical signature would silently match nothing, so it is refused naming the problem.
 */
public final class EventSignatures {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private EventSignatures() {
    }

    /** Why {@code signature} is not canonical; empty when it is. */
    public static Optional<String> problem(String signature) {
        if (signature == null || signature.isEmpty()) {
            return Optional.of("an event signature must not be empty; write Name(type,...)");
        }
        var space = WHITESPACE.matcher(signature);
        if (space.find()) {
            String stripped = WHITESPACE.matcher(signature).replaceAll("");
            String hint = problemOfSpaceless(stripped).isEmpty()
                    ? " (canonical: " + stripped + ")"
                    : "; list the parameter types only, without names or 'indexed'";
            return Optional.of("\"" + signature + "\" is not canonical: whitespace at index "
                    + space.start() + hint);
        }
        return problemOfSpaceless(signature).map(p -> "\"" + signature + "\" is not canonical: " + p);
    }

    private static Optional<String> problemOfSpaceless(String signature) {
        int open = signature.indexOf('(');
        if (open < 0 || !signature.endsWith(")")) {
            return Optional.of("expected Name(type,...)");
        }
        String name = signature.substring(0, open);
        if (!NAME.matcher(name).matches()) {
            return Optional.of("event name \"" + name + "\" is not a Solidity identifier");
        }
        String list = signature.substring(open + 1, signature.length() - 1);
        List<String> types = Parameters.split(list);
        for (int i = 0; i < types.size(); i++) {
            Optional<String> problem = SolidityTypes.problem(types.get(i));
            if (problem.isPresent()) {
                return Optional.of("parameter " + i + ": " + problem.get());
            }
        }
        return Optional.empty();
    }
}
