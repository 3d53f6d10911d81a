package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineRequest;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.config.PipelineLimits;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.EffectiveFrom;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one command to the control plane's state, in order, as the single writer (DESIGN.md §6):
 * each command is checked against the state first and refused whole, or applied whole. Identical
 * live creates share one pipeline (seed §Collision Analysis): same PipelinePID, both live, neither
 * backfilling → the first's PUUID, {@code reused=true}, the owner added.
 */
final class CommandApplier {

    private final TopicNames names;
    private final Registry registry;
    private final PipelineLimits limits;
    private final Lifecycle lifecycle;

    CommandApplier(TopicNames names, Registry registry, PipelineLimits limits) {
        this.names = names;
        this.registry = registry;
        this.limits = limits;
        this.lifecycle = new Lifecycle(limits);
    }

    Outcome apply(PipelineCommand command, ControlStore store) {
        Outcome outcome = new Outcome();
        return switch (command.getType()) {
            case CREATE -> create(command, store, outcome);
            case UPDATE -> {
                PipelineSpec current = store.existing(command.getPuuid());
                yield changed(command, current, lifecycle.update(current, command, store), store, outcome);
            }
            case PAUSE, RESUME, STOP -> {
                PipelineSpec current = store.existing(command.getPuuid());
                yield changed(command, current, lifecycle.transition(current, command.getType(), store), store, outcome);
            }
            case REMOVE -> remove(command, store, outcome);
            case ADD_INTEREST -> addInterest(command, store, outcome);
            case REMOVE_INTEREST -> removeInterest(command, store, outcome);
            case MERGE -> throw CommandRefused.invalid("type", "MERGE is not applied by this control plane yet");
        };
    }

    private Outcome create(PipelineCommand command, ControlStore store, Outcome outcome) {
        PipelineRequest request = command.getCreate();
        if (request == null) {
            throw CommandRefused.invalid("create", "a CREATE command needs its request");
        }
        PipelinePID pid = pid(request);
        if (request.getOwnSource() && pid.pipelineType() != PipelineType.BACKTEST) {
            throw CommandRefused.invalid("type", "only a backtest reads a source of its own, not a "
                    + pid.pipelineType().label() + " pipeline");
        }
        long next = nextBlock(command, pid.network(), store);
        boolean backfill = pid.pipelineType() == PipelineType.LIVE && request.getStartHeight() != null
                && request.getStartHeight() < next;
        boolean shared = pid.pipelineType() == PipelineType.LIVE && !backfill;
        if (shared) {
            var existing = store.shared(pid.toString());
            if (existing.isPresent()) {
                return join(existing.get(), command, store, outcome);
            }
        }
        checkLimits(store, shared);
        PUUID puuid = PUUID.random(pid);
        String prefix = names.pipelinePrefix(puuid, shared);
        long start = request.getStartHeight() != null ? request.getStartHeight() : next;
        PipelineSpec spec = PipelineSpec.newBuilder()
                .setPuuid(puuid.toString())
                .setPid(pid.toString())
                .setPrefix(prefix)
                .setNetwork(request.getNetwork())
                .setType(request.getType())
                .setRegister(request.getRegister())
                .setStartHeight(start)
                .setEndHeight(request.getEndHeight())
                .setOwners(List.of(request.getOwner()))
                .setDesiredState(DesiredState.RUNNING)
                .setCreatedAt(command.getIssuedAt())
                .setRevision(1)
                .setOwnSource(request.getOwnSource())
                .build();
        store.put(spec);
        outcome.spec(spec);
        if (shared) {
            store.share(spec.getPid(), spec.getPuuid());
        }
        watch(spec, request.getOwner(), request.getInterests(), start, store, outcome);
        return outcome.reply(ok(command, spec, false));
    }

    /** A create that reuses a shared live pipeline: the owner joins, its interests from the next block. */
    private Outcome join(PipelineSpec spec, PipelineCommand command, ControlStore store, Outcome outcome) {
        PipelineRequest request = command.getCreate();
        PipelineSpec joined = withOwner(spec, request.getOwner(), store, outcome);
        long effectiveFrom = EffectiveFrom.of(joined, nextBlock(command, network(joined), store));
        watch(joined, request.getOwner(), request.getInterests(), effectiveFrom, store, outcome);
        return outcome.reply(ok(command, joined, true));
    }

    private Outcome remove(PipelineCommand command, ControlStore store, Outcome outcome) {
        PipelineSpec spec = store.existing(command.getPuuid());
        String owner = command.getOwner();
        List<String> owners = new ArrayList<>(spec.getOwners());
        if (owner != null && !owners.contains(owner)) {
            throw CommandRefused.notFound("owner", "\"" + owner + "\" is not an owner of pipeline "
                    + spec.getPuuid() + "; owners: " + String.join(", ", owners));
        }
        List<String> leaving = owner == null ? owners : List.of(owner);
        owners.removeAll(leaving);
        for (InterestKey key : store.interestsOf(spec.getPuuid())) {
            if (leaving.contains(key.owner())) {
                store.deleteInterest(key);
                outcome.interest(key, null);
            }
        }
        PipelineSpec.Builder next = PipelineSpec.newBuilder(spec).setOwners(owners).setRevision(spec.getRevision() + 1);
        if (owners.isEmpty()) {
            // The last owner left: the runtime deletes the branch's topics, group and state.
            next.setDesiredState(DesiredState.REMOVED).setKeepOutput(command.getKeepOutput());
            if (store.shared(spec.getPid()).map(s -> s.getPuuid().equals(spec.getPuuid())).orElse(false)) {
                store.unshare(spec.getPid());
            }
        }
        PipelineSpec removed = next.build();
        store.put(removed);
        outcome.spec(removed);
        return outcome.reply(ok(command, removed, false));
    }

    private Outcome addInterest(PipelineCommand command, ControlStore store, Outcome outcome) {
        PipelineSpec spec = store.existing(command.getPuuid());
        requireAddressable(spec);
        String owner = requireOwner(command);
        PipelineSpec owned = withOwner(spec, owner, store, outcome);
        long effectiveFrom = EffectiveFrom.of(owned, nextBlock(command, network(owned), store));
        InterestKey key = new InterestKey(owned.getPuuid(), requireAddress(command), owner);
        watch(owned, owner, Map.of(key.address(), command.getSignatures()), effectiveFrom, store, outcome);
        PipelineCommandReply reply = ok(command, owned, false);
        reply.setEffectiveFrom(store.interest(key).orElseThrow().getEffectiveFrom());
        return outcome.reply(reply);
    }

    private Outcome removeInterest(PipelineCommand command, ControlStore store, Outcome outcome) {
        PipelineSpec spec = store.existing(command.getPuuid());
        InterestKey key = new InterestKey(spec.getPuuid(), requireAddress(command), requireOwner(command));
        if (store.interest(key).isEmpty()) {
            throw CommandRefused.notFound("address", "owner \"" + key.owner() + "\" watches no address "
                    + key.address() + " on pipeline " + spec.getPuuid());
        }
        store.deleteInterest(key);
        outcome.interest(key, null);
        return outcome.reply(ok(command, spec, false));
    }

    private Outcome changed(PipelineCommand command, PipelineSpec current, PipelineSpec next, ControlStore store,
            Outcome outcome) {
        if (!next.equals(current)) {
            store.put(next);
            outcome.spec(next);
        }
        return outcome.reply(ok(command, next, false));
    }

    private PipelineSpec withOwner(PipelineSpec spec, String owner, ControlStore store, Outcome outcome) {
        if (spec.getOwners().contains(owner)) {
            return spec;
        }
        List<String> owners = new ArrayList<>(spec.getOwners());
        owners.add(owner);
        PipelineSpec joined = PipelineSpec.newBuilder(spec).setOwners(owners).setRevision(spec.getRevision() + 1).build();
        store.put(joined);
        outcome.spec(joined);
        return joined;
    }

    private static void watch(PipelineSpec spec, String owner, Map<String, List<String>> interests, long effectiveFrom,
            ControlStore store, Outcome outcome) {
        interests.forEach((address, signatures) -> {
            InterestKey key = new InterestKey(spec.getPuuid(), address, owner);
            boolean unchanged = store.interest(key)
                    .map(existing -> Set.copyOf(existing.getSignatures()).equals(Set.copyOf(signatures)))
                    .orElse(false);
            if (unchanged) {
                // a repeated request (a retry) keeps the block it was first effective from: moving it
                // forward would drop matches between a lagging branch's position and the new block
                return;
            }
            AddressInterest interest = AddressInterest.newBuilder()
                    .setPuuid(spec.getPuuid())
                    .setAddress(address)
                    .setOwner(owner)
                    .setSignatures(List.copyOf(signatures))
                    .setEffectiveFrom(effectiveFrom)
                    .build();
            store.putInterest(key, interest);
            outcome.interest(key, interest);
        });
    }

    private void checkLimits(ControlStore store, boolean shared) {
        int active = store.count(spec -> Lifecycle.active(spec) && !store.finished(spec.getPuuid()));
        if (active >= limits.maxActive()) {
            throw CommandRefused.limit("pipelines.max-active", limits.maxActive(),
                    active + " pipelines are active; stop or remove one first");
        }
        if (!shared) {
            int running = store.count(spec -> Lifecycle.active(spec) && !store.finished(spec.getPuuid())
                    && !spec.getPrefix().equals(sharedPrefix(spec)));
            if (running >= limits.maxConcurrentBackfills()) {
                throw CommandRefused.limit("pipelines.max-concurrent-backfills", limits.maxConcurrentBackfills(),
                        running + " backfills and backtests are active");
            }
        }
    }

    private String sharedPrefix(PipelineSpec spec) {
        return names.pipelinePrefix(PipelinePID.parse(spec.getPid(), registry));
    }

    private PipelinePID pid(PipelineRequest request) {
        try {
            Network network = Network.parse(request.getNetwork());
            PipelineType type = request.getType() == io.pessimism.avro.PipelineType.LIVE
                    ? PipelineType.LIVE : PipelineType.BACKTEST;
            return PipelinePID.of(type, registry.resolve(request.getRegister(), network));
        } catch (IllegalArgumentException e) {
            throw CommandRefused.invalid("register", e.getMessage());
        }
    }

    private void requireAddressable(PipelineSpec spec) {
        if (!registry.get(spec.getRegister()).addressable()) {
            throw CommandRefused.invalid("address", "pipeline " + spec.getPuuid() + " computes "
                    + spec.getRegister() + ", which takes no addresses");
        }
    }

    private static String requireOwner(PipelineCommand command) {
        if (command.getOwner() == null || command.getOwner().isBlank()) {
            throw CommandRefused.invalid("owner", "the command names no owner");
        }
        return command.getOwner();
    }

    private static String requireAddress(PipelineCommand command) {
        if (command.getAddress() == null) {
            throw CommandRefused.invalid("address", "the command names no address");
        }
        return command.getAddress();
    }

    /**
     * The block a command accepted now is assigned on {@code network}: the one the API read, but
     * always above the network's interest horizon, which branches may already have passed.
     */
    private static long nextBlock(PipelineCommand command, Network network, ControlStore store) {
        long assigned = command.getNextBlock() == null ? 0 : command.getNextBlock();
        return Math.max(assigned, store.horizon(network) + 1);
    }

    private static Network network(PipelineSpec spec) {
        return Network.parse(spec.getNetwork());
    }

    private PipelineCommandReply ok(PipelineCommand command, PipelineSpec spec, boolean reused) {
        return PipelineCommandReply.newBuilder()
                .setRequestId(command.getRequestId())
                .setOk(true)
                .setPuuid(spec.getPuuid())
                .setPid(spec.getPid())
                .setTopic(names.out(spec.getPrefix()))
                .setState(CommandStates.of(spec))
                .setReused(reused)
                .setSpec(spec)
                .build();
    }
}
