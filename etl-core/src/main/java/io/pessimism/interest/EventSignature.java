package io.pessimism.interest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;

/**
 * Event signatures, as interests carry them: the canonical form {@code Name(type,…)} whose
 * keccak-256 is a log's topic0, with no spaces, parameter names or {@code indexed}, and valid
 * Solidity ABI types. A non-canonical signature would silently match nothing, so the edge refuses
 * it naming the problem ({@link #problem}); a component matching logs hashes each distinct
 * signature once ({@link #topic0}).
 */
public final class EventSignature {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    /** Beyond this many distinct signatures the topic0 cache starts over (they are few in practice). */
    private static final int MAX_CACHED = 100_000;
    private static final Map<String, String> TOPIC0 = new ConcurrentHashMap<>();

    private EventSignature() {
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

    /**
     * The topic0 of {@code signature}, taken as written (it must already be canonical): keccak256
     * in lowercase hex as on the wire, e.g. {@code Transfer(address,address,uint256)} →
     * {@code 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef}. Cached.
     */
    public static String topic0(String signature) {
        String cached = TOPIC0.get(signature);
        if (cached != null) {
            return cached;
        }
        if (TOPIC0.size() >= MAX_CACHED) {
            TOPIC0.clear();
        }
        return TOPIC0.computeIfAbsent(signature, Hash::sha3String);
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
