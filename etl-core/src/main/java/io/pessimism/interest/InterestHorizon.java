package io.pessimism.interest;

import io.pessimism.avro.AddressInterest;
import io.pessimism.network.Network;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The control plane's promise, per network, that every interest effective at or below a height
 * is already on {@code <ns>.state}: the single writer writes the horizon after those interests,
 * on the same partition, and gives every interest it accepts later a block above it. A component
 * that matches interests matches block N only once the horizon of its network has reached N, so
 * an interest accepted "from block N" never misses block N because the branch got there first.
 *
 * <p>On the topic a horizon is an {@link AddressInterest} under the reserved key
 * {@code horizon|<network>} (PUUIDs begin with a pipeline type, so no interest key collides; see
 * {@link InterestKey#isHorizon}): the height is its {@code effectiveFrom}, the other fields are
 * fixed. It rides the interests' own partition and schema because only the order of one partition
 * makes the promise hold.
 */
public final class InterestHorizon {

    /** How often the control plane advances the horizons, and so the most a hold adds at the chain's tip. */
    public static final Duration ADVANCE_INTERVAL = Duration.ofMillis(50);

    /** The reserved first part of a horizon key, where an interest key has its PUUID. */
    public static final String PUUID = "horizon";

    private InterestHorizon() {
    }

    /** The key of a network's horizon on {@code <ns>.state}. */
    public static String key(Network network) {
        return InterestKey.pipelinePrefix(PUUID) + network.label();
    }

    /** The record saying every interest on {@code network} effective at or below {@code height} is written. */
    public static AddressInterest record(Network network, long height) {
        return AddressInterest.newBuilder()
                .setPuuid(PUUID)
                .setAddress(network.label())
                .setOwner("")
                .setSignatures(List.of())
                .setEffectiveFrom(height)
                .build();
    }

    /**
     * The horizon of {@code network} in a copy of {@code <ns>.state}, or -1 before the first.
     *
     * @param lookup the record under a key, null when there is none (a Kafka Streams store's
     *               {@code store::get}, a map's {@code map::get})
     */
    public static long of(Function<String, AddressInterest> lookup, Network network) {
        AddressInterest horizon = lookup.apply(key(network));
        return horizon == null ? -1 : horizon.getEffectiveFrom();
    }
}
