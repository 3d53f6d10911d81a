package io.pessimism.interest;

import io.pessimism.avro.AddressInterest;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A pipeline's interests effective at one block, indexed for matching: lowercase address → the
 * owners watching it (with the block each one's interest is effective from) and topic0 → the
 * owners watching that event there. A register matching logs asks {@link #owners(String, String)};
 * one whose interest is just an address (account_balance) asks {@link #owners(String)}. An owner
 * is returned only for its own interests (no cross-talk between owners of one pipeline).
 */
public final class InterestIndex {

    private final Map<String, Watched> byAddress = new HashMap<>();

    /** One address: its owners by the block their interest is effective from, and its events' owners. */
    private static final class Watched {
        final TreeMap<String, Long> effectiveFrom = new TreeMap<>();
        final Map<String, TreeSet<String>> ownersByTopic0 = new HashMap<>();
    }

    private InterestIndex() {
    }

    /** The index of the interests effective at {@code height} (see {@link EffectiveFrom#at}). */
    public static InterestIndex effectiveAt(List<AddressInterest> interests, long height) {
        InterestIndex index = new InterestIndex();
        for (AddressInterest interest : interests) {
            if (!EffectiveFrom.at(interest, height)) {
                continue;
            }
            Watched watched = index.byAddress.computeIfAbsent(lower(interest.getAddress()), a -> new Watched());
            watched.effectiveFrom.merge(interest.getOwner(), interest.getEffectiveFrom(), Math::min);
            for (String signature : interest.getSignatures()) {
                watched.ownersByTopic0.computeIfAbsent(EventSignature.topic0(signature), t -> new TreeSet<>())
                        .add(interest.getOwner());
            }
        }
        return index;
    }

    /** Whether no interest is effective at the height. */
    public boolean isEmpty() {
        return byAddress.isEmpty();
    }

    /** The watched addresses, lowercase and sorted. */
    public Set<String> addresses() {
        return Collections.unmodifiableSet(new TreeSet<>(byAddress.keySet()));
    }

    /**
     * The owners watching {@code address} whatever their event signatures, sorted; empty when
     * nobody is. Case-insensitive.
     */
    public List<String> owners(String address) {
        Watched watched = watched(address);
        return watched == null ? List.of() : List.copyOf(watched.effectiveFrom.keySet());
    }

    /** The owners watching (address, topic0), sorted; empty when nobody is. Case-insensitive. */
    public List<String> owners(String address, String topic0) {
        Watched watched = watched(address);
        if (watched == null || topic0 == null) {
            return List.of();
        }
        TreeSet<String> matched = watched.ownersByTopic0.get(lower(topic0));
        return matched == null ? List.of() : List.copyOf(matched);
    }

    /**
     * The block from which {@code owner}'s interest in {@code address} is effective; empty when
     * that owner watches no such address at the height. Case-insensitive in the address.
     */
    public OptionalLong effectiveFrom(String address, String owner) {
        Watched watched = watched(address);
        Long from = watched == null ? null : watched.effectiveFrom.get(owner);
        return from == null ? OptionalLong.empty() : OptionalLong.of(from);
    }

    private Watched watched(String address) {
        return address == null ? null : byAddress.get(lower(address));
    }

    private static String lower(String hex) {
        return hex.toLowerCase(Locale.ROOT);
    }
}
