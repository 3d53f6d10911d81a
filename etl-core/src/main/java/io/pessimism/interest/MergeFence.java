package io.pessimism.interest;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.MergedInto;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The control plane's decision that a caught-up backfill (P1) hands its owners over to the shared
 * live pipeline of its PID (P0) from block F on. On {@code <ns>.state} it is an
 * {@link AddressInterest} under the reserved key {@code fence|<P1's PUUID>}, written in the same
 * transaction as P1's interests moved to P0 effective from F, and before the network's
 * {@link InterestHorizon} passes F - 1. So P1's branch, which lets out a block only once the
 * horizon has reached it, knows its fence before it could emit a block past it.
 */
public final class MergeFence {

    /** The reserved first part of a fence key, where an interest key has its PUUID. */
    public static final String PUUID = "fence";

    private MergeFence() {
    }

    /** The key of a pipeline's fence on {@code <ns>.state}. */
    public static String key(String puuid) {
        return InterestKey.pipelinePrefix(PUUID) + puuid;
    }

    /** Whether a key of {@code <ns>.state} is a fence. */
    public static boolean isFence(String key) {
        return key.startsWith(InterestKey.pipelinePrefix(PUUID));
    }

    /** The record: {@code puuid} hands over to {@code into} from {@code into.fromHeight}. */
    public static AddressInterest record(String puuid, MergedInto into) {
        return AddressInterest.newBuilder()
                .setPuuid(PUUID)
                .setAddress(puuid)
                .setOwner(into.getPuuid())
                .setSignatures(List.of(into.getTopic()))
                .setEffectiveFrom(into.getFromHeight())
                .build();
    }

    /** The fence of {@code puuid} in a copy of {@code <ns>.state}, if the control plane has set one. */
    public static Optional<MergedInto> of(Function<String, AddressInterest> lookup, String puuid) {
        AddressInterest fence = lookup.apply(key(puuid));
        if (fence == null || fence.getSignatures().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(MergedInto.newBuilder().setPuuid(fence.getOwner()).setTopic(fence.getSignatures().get(0))
                .setFromHeight(fence.getEffectiveFrom()).build());
    }
}
