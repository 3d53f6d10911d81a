package io.pessimism.oracle.balance;

import io.pessimism.avro.AddressInterest;
import io.pessimism.component.ComponentNode;
import io.pessimism.id.PUUID;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The addresses an addressable oracle serves on its network, read from the shared address state
 * {@code <ns>.state} (the seed's "Addressing"): every interest of a pipeline whose component DAG
 * contains this oracle, with the block it is effective from, and the network's interest horizon
 * (the control plane's promise that every interest effective at or below it is already on the
 * topic). Fed the topic's records in order; a tombstone withdraws an interest at once.
 */
final class WatchList {

    private static final Logger log = LoggerFactory.getLogger(WatchList.class);

    private final ComponentNode oracle;
    private final Registry registry;
    private final String horizonKey;
    /** Whether a pipeline reads this oracle, by PUUID; a PUUID read once is decided once. */
    private final Map<String, Boolean> readers = new HashMap<>();
    /** The interests of the pipelines reading this oracle, by key. */
    private final Map<String, AddressInterest> interests = new HashMap<>();
    private long horizon = -1;
    /**
     * The last answer of {@link #at}, and the heights it holds for while no interest changes: from the
     * newest effectiveFrom at or below its height to before the oldest above it. Null after a change.
     */
    private NavigableMap<String, Long> lastWatched;
    private long lastFrom;
    private long lastUntil;

    WatchList(Network network, Register register, Registry registry) {
        this.oracle = new ComponentNode(network, register);
        this.registry = registry;
        this.horizonKey = InterestHorizon.key(network);
    }

    /** Takes one record of {@code <ns>.state}: an interest, its tombstone ({@code value} null), or a horizon. */
    void apply(String key, AddressInterest value) {
        if (key == null) {
            return;
        }
        if (key.equals(horizonKey)) {
            if (value != null) {
                horizon = Math.max(horizon, value.getEffectiveFrom());
            }
            return;
        }
        if (InterestKey.isReserved(key)) {
            return; // another network's horizon, or a merge fence
        }
        if (value == null) {
            if (interests.remove(key) != null) {
                lastWatched = null;
            }
            return;
        }
        if (reads(key, value.getPuuid())) {
            interests.put(key, value);
            lastWatched = null;
        }
    }

    /** Every interest effective at or below this height is already applied. -1 before the first horizon. */
    long horizon() {
        return horizon;
    }

    /** The number of interests held. */
    int interests() {
        return interests.size();
    }

    /**
     * The addresses watched at block {@code height} (lowercase, sorted), each with the newest
     * {@code effectiveFrom} at or below {@code height} of its interests; unmodifiable. Consecutive blocks
     * get the same map (the same instance) until an interest changes or becomes effective.
     */
    NavigableMap<String, Long> at(long height) {
        if (lastWatched != null && lastFrom <= height && height < lastUntil) {
            return lastWatched;
        }
        TreeMap<String, Long> watched = new TreeMap<>();
        long from = Long.MIN_VALUE;
        long until = Long.MAX_VALUE;
        for (AddressInterest interest : interests.values()) {
            long effectiveFrom = interest.getEffectiveFrom();
            if (effectiveFrom <= height) {
                watched.merge(interest.getAddress().toLowerCase(Locale.ROOT), effectiveFrom, Math::max);
                from = Math.max(from, effectiveFrom);
            } else {
                until = Math.min(until, effectiveFrom);
            }
        }
        lastWatched = Collections.unmodifiableNavigableMap(watched);
        lastFrom = from;
        lastUntil = until;
        return lastWatched;
    }

    private boolean reads(String key, String puuid) {
        if (!key.startsWith(InterestKey.pipelinePrefix(puuid))) {
            log.warn("{}: interest {} does not start with its puuid {}; ignored", oracle, key, puuid);
            return false;
        }
        return readers.computeIfAbsent(puuid, p -> {
            try {
                PUUID parsed = PUUID.parse(p, registry);
                return registry.resolve(parsed.pid().register().name(), parsed.pid().network()).nodes()
                        .contains(oracle);
            } catch (RuntimeException e) {
                log.warn("{}: pipeline {} of interest {} cannot be resolved here ({}); its interests are ignored",
                        oracle, p, key, e.getMessage());
                return false;
            }
        });
    }
}
