package io.pessimism.pipe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Hash;

/**
 * topic0 of an event: keccak256 of its canonical signature, e.g.
 * {@code Transfer(address,address,uint256)} →
 * {@code 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef}, lowercase hex as on
 * the wire. Interests carry the readable signatures (validated by the control plane); the pipe
 * hashes each distinct signature once and caches it.
 */
public final class EventSignatures {

    /** Beyond this many distinct signatures the cache starts over (they are few in practice). */
    private static final int MAX_CACHED = 100_000;
    private static final Map<String, String> TOPIC0 = new ConcurrentHashMap<>();

    private EventSignatures() {
    }

    /** The topic0 of {@code signature}, taken as written (it must already be canonical). */
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
}
