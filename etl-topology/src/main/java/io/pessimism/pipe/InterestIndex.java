package io.pessimism.pipe;

import io.pessimism.avro.AddressInterest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A pipeline's interests effective at one block, indexed for matching logs: lowercase address →
 * topic0 → the owners watching that pair. An owner is returned only for the (address, event)
 * pairs of its own interests (no cross-talk between owners of one pipeline).
 */
final class InterestIndex {

    private final Map<String, Map<String, TreeSet<String>>> owners = new HashMap<>();

    private InterestIndex() {
    }

    /** The index of the interests effective at {@code height} ({@code effectiveFrom <= height}). */
    static InterestIndex effectiveAt(List<AddressInterest> interests, long height) {
        InterestIndex index = new InterestIndex();
        for (AddressInterest interest : interests) {
            if (interest.getEffectiveFrom() > height) {
                continue;
            }
            Map<String, TreeSet<String>> byTopic0 = index.owners.computeIfAbsent(lower(interest.getAddress()),
                    a -> new HashMap<>());
            for (String signature : interest.getSignatures()) {
                byTopic0.computeIfAbsent(EventSignatures.topic0(signature), t -> new TreeSet<>())
                        .add(interest.getOwner());
            }
        }
        return index;
    }

    boolean isEmpty() {
        return owners.isEmpty();
    }

    /** The owners watching (address, topic0), sorted; empty when nobody is. Case-insensitive. */
    List<String> owners(String address, String topic0) {
        Map<String, TreeSet<String>> byTopic0 = owners.get(lower(address));
        if (byTopic0 == null || topic0 == null) {
            return List.of();
        }
        TreeSet<String> matched = byTopic0.get(lower(topic0));
        return matched == null ? List.of() : List.copyOf(matched);
    }

    private static String lower(String hex) {
        return hex.toLowerCase(Locale.ROOT);
    }
}
