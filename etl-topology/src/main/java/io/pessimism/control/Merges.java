package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.MergedInto;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.avro.PipelineType;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestKey;
import io.pessimism.interest.MergeFence;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's collision analysis, done by the single writer as the runtime reports: a live pipeline
 * that backfilled on a branch of its own (P1) and has caught up ({@code LIVE}) is merged into the
 * shared live pipeline of its PID (P0) when one runs.
 *
 * <ol>
 *   <li>On P1's first LIVE status: a fence F = the block an interest accepted now would get (above
 *   the interest horizon, so P0 has not matched F yet) is written to {@code <ns>.state}
 *   ({@link MergeFence}); P1's owners join P0, and P1's interests are copied to P0 effective from F
 *   (an owner already watching that address on P0 keeps its own). P1's branch emits through F - 1,
 *   then its {@code MergedInto} marker.</li>
 *   <li>On P1's MERGED status (written with the marker, in its transaction): P1's spec becomes
 *   MERGED with {@code mergedInto} (read on from the status height + 1), its interests and fence
 *   are withdrawn.</li>
 * </ol>
 */
final class Merges {

    private static final Logger log = LoggerFactory.getLogger(Merges.class);

    private final TopicNames names;
    private final Registry registry;
    private final boolean enabled;

    /** @param enabled {@code pipelines.merge-backfills}: off, a backfill stays a pipeline of its own */
    Merges(TopicNames names, Registry registry, boolean enabled) {
        this.names = names;
        this.registry = registry;
        this.enabled = enabled;
    }

    /** What a pipeline's observed state changes in the control plane's state. */
    Outcome observed(PipelineStatus status, ControlStore store, NextBlocks heads) {
        Outcome outcome = new Outcome();
        Optional<PipelineSpec> found = store.pipeline(status.getPuuid());
        if (found.isEmpty()) {
            return outcome;
        }
        PipelineSpec spec = found.get();
        if (enabled && status.getState() == PipelineState.LIVE && mergeable(spec, store)) {
            store.shared(spec.getPid())
                    .filter(p0 -> p0.getDesiredState() == DesiredState.RUNNING)
                    .filter(p0 -> !p0.getPuuid().equals(spec.getPuuid()))
                    .ifPresent(p0 -> fence(spec, p0, store, heads, outcome));
        } else if (status.getState() == PipelineState.MERGED && spec.getDesiredState() != DesiredState.MERGED
                && store.fence(spec.getPuuid()).isPresent()) {
            retire(spec, status, store, outcome);
        }
        return outcome;
    }

    /** A live pipeline on a branch of its own, not merged nor fenced yet, that the user wants running. */
    private boolean mergeable(PipelineSpec spec, ControlStore store) {
        return spec.getType() == PipelineType.LIVE && spec.getDesiredState() == DesiredState.RUNNING
                && spec.getMergedInto() == null && store.fence(spec.getPuuid()).isEmpty()
                && !spec.getPrefix().equals(names.pipelinePrefix(PipelinePID.parse(spec.getPid(), registry)));
    }

    private void fence(PipelineSpec p1, PipelineSpec p0, ControlStore store, NextBlocks heads, Outcome outcome) {
        Network network = Network.parse(p1.getNetwork());
        long from;
        try {
            from = Math.max(heads.nextBlock(network), store.horizon(network) + 1);
        } catch (RuntimeException e) {
            log.warn("pipeline {} caught up with {} but the head of {} cannot be read ({}); merging on its next "
                    + "status", p1.getPuuid(), p0.getPuuid(), network.label(), e.getMessage());
            return;
        }
        MergedInto into = MergedInto.newBuilder().setPuuid(p0.getPuuid()).setTopic(names.out(p0.getPrefix()))
                .setFromHeight(from).build();
        store.fence(p1.getPuuid(), from);
        outcome.reserved(MergeFence.key(p1.getPuuid()), MergeFence.record(p1.getPuuid(), into));
        List<String> owners = new ArrayList<>(p0.getOwners());
        p1.getOwners().stream().filter(o -> !owners.contains(o)).forEach(owners::add);
        if (!owners.equals(p0.getOwners())) {
            PipelineSpec joined = PipelineSpec.newBuilder(p0).setOwners(owners).setRevision(p0.getRevision() + 1)
                    .build();
            store.put(joined);
            outcome.spec(joined);
        }
        for (InterestKey key : store.interestsOf(p1.getPuuid())) {
            InterestKey moved = new InterestKey(p0.getPuuid(), key.address(), key.owner());
            if (store.interest(moved).isPresent()) {
                continue; // that owner already watches the address on P0: its own interest stands
            }
            AddressInterest interest = AddressInterest.newBuilder(store.interest(key).orElseThrow())
                    .setPuuid(p0.getPuuid()).setEffectiveFrom(from).build();
            store.putInterest(moved, interest);
            outcome.interest(moved, interest);
        }
        log.info("pipeline {} has caught up with {}: it hands over from block {}", p1.getPuuid(), p0.getPuuid(), from);
    }

    private void retire(PipelineSpec p1, PipelineStatus status, ControlStore store, Outcome outcome) {
        long from = status.getHeight() == null ? store.fence(p1.getPuuid()).orElseThrow() : status.getHeight() + 1;
        String into = store.shared(p1.getPid()).map(PipelineSpec::getPuuid).orElse(null);
        if (into == null) {
            log.warn("pipeline {} merged, but the shared pipeline of {} is gone", p1.getPuuid(), p1.getPid());
            return;
        }
        MergedInto target = MergedInto.newBuilder().setPuuid(into)
                .setTopic(names.out(store.pipeline(into).orElseThrow().getPrefix())).setFromHeight(from).build();
        PipelineSpec merged = PipelineSpec.newBuilder(p1).setDesiredState(DesiredState.MERGED).setMergedInto(target)
                .setRevision(p1.getRevision() + 1).build();
        store.put(merged);
        outcome.spec(merged);
        for (InterestKey key : store.interestsOf(p1.getPuuid())) {
            store.deleteInterest(key);
            outcome.interest(key, null);
        }
        outcome.reserved(MergeFence.key(p1.getPuuid()), null);
        log.info("pipeline {} is merged into {} from block {}", p1.getPuuid(), into, from);
    }
}
