package io.pessimism.api;

import io.pessimism.avro.CommandType;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineRequest;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.component.ComponentGraph;
import io.pessimism.control.CommandGateway;
import io.pessimism.control.ControlPlaneUnavailable;
import io.pessimism.control.NextBlocks;
import io.pessimism.control.PipelineCatalogue;
import io.pessimism.id.PUUID;
import io.pessimism.network.Network;
import io.pessimism.pipeline.Branches;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicNames;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * What the REST API does, without HTTP: validate a request completely, turn it into a command
 * stamped with a request id and the network's next block, send it to the single writer, and
 * answer from its reply; reads come from this instance's {@link PipelineCatalogue}.
 */
public final class PipelineOperations {

    private final RequestValidator validator;
    private final CommandGateway gateway;
    private final NextBlocks nextBlocks;
    private final PipelineCatalogue catalogue;
    private final Branches branches;
    private final TopicNames names;
    private final Registry registry;
    private final Clock clock;

    public PipelineOperations(RequestValidator validator, CommandGateway gateway, NextBlocks nextBlocks,
            PipelineCatalogue catalogue, Branches branches, TopicNames names, Registry registry, Clock clock) {
        this.validator = validator;
        this.gateway = gateway;
        this.nextBlocks = nextBlocks;
        this.catalogue = catalogue;
        this.branches = branches;
        this.names = names;
        this.registry = registry;
        this.clock = clock;
    }

    /** Creates a pipeline, or joins the identical shared live one ({@code reused}). */
    public PipelineCreated create(CreatePipelineRequest body) {
        PipelineRequest request = validator.create(body);
        Network network = Network.parse(request.getNetwork());
        // a pipeline this service cannot compute would sit in ERROR for good: refuse it now
        branches.cannotCompute(registry.resolve(request.getRegister(), network)).ifPresent(reason -> {
            throw Problems.invalidField("register", reason);
        });
        long next = nextBlock(network);
        PipelineCommandReply reply = send(command(CommandType.CREATE, null, next)
                .setCreate(checkHeld(request, network, next)));
        PipelineSpec spec = reply.getSpec();
        return new PipelineCreated(reply.getPuuid(), reply.getPid(), reply.getTopic(),
                view(spec).state(), reply.getReused());
    }

    /**
     * A start below the first block the source topic holds: a backtest of a register with one source
     * reads a source of its own ({@code <prefix>.source}, filled by the oracle's BackTestRoutine with the
     * whole range); anything else cannot be served and is refused, naming what the topic holds. The
     * balance oracle reads only the blocks it follows, for the addresses watched then: an account_balance
     * backtest of blocks before the next one reads its own balance history.
     */
    private PipelineRequest checkHeld(PipelineRequest request, Network network, long next) {
        Long start = request.getStartHeight();
        ComponentGraph graph = registry.resolve(request.getRegister(), network);
        boolean backtest = request.getType() == io.pessimism.avro.PipelineType.BACKTEST;
        if (start == null) {
            return request;
        }
        if (graph.triggerSource().register().equals(Registers.ACCOUNT_BALANCE)) {
            return backtest && start < next && graph.sources().size() == 1
                    ? PipelineRequest.newBuilder(request).setOwnSource(true).build() : request;
        }
        if (!graph.triggerSource().register().equals(Registers.GETH_BLOCK)) {
            return request; // only block topics are searched by height here
        }
        OptionalLong first;
        try {
            first = nextBlocks.firstHeld(network);
        } catch (RuntimeException e) {
            throw Problems.unavailable("could not read the first block of " + network.label() + "'s block topic: "
                    + e.getMessage());
        }
        if (first.isEmpty() || start >= first.getAsLong()) {
            return request;
        }
        String held = names.registerTopic(network, Registers.GETH_BLOCK) + " holds: blocks " + first.getAsLong()
                + ".." + (next - 1);
        if (!backtest) {
            throw Problems.invalidField("startHeight", "startHeight " + start + " is below what " + held
                    + " (only a backtest reads an older range, through a source of its own)");
        }
        if (graph.sources().size() > 1) {
            throw Problems.invalidField("startHeight", "startHeight " + start + " is below what " + held + "; a "
                    + request.getRegister() + " backtest reads " + graph.sources().size() + " oracle topics and "
                    + "cannot read an older range through a source of its own yet");
        }
        return PipelineRequest.newBuilder(request).setOwnSource(true).build();
    }

    /** Every pipeline not removed, oldest first. */
    public List<PipelineView> list() {
        return catalogue.specs().stream().map(this::view).toList();
    }

    /** One pipeline, or a 404 problem. */
    public PipelineView show(String puuid) {
        String key = validator.puuid(puuid).toString();
        return catalogue.spec(key).map(this::view).orElseThrow(() -> Problems.unknownPipeline(puuid));
    }

    /** The registry and the pipelines running or paused here, with their branches (see {@link PipelineGraph}). */
    public PipelineGraph graph() {
        return new PipelineGraph(registry, catalogue.specs(), branches::layout);
    }

    /** A graph format named by {@code ?format=}; a 400 naming the formats otherwise. */
    public static PipelineGraph.Format graphFormat(String format) {
        if (format == null) {
            return PipelineGraph.Format.mermaid;
        }
        try {
            return PipelineGraph.Format.valueOf(format);
        } catch (IllegalArgumentException e) {
            throw Problems.invalidField("format", "format must be mermaid, dot or json, not \"" + format + "\"");
        }
    }

    /** PAUSE, RESUME or STOP. */
    public PipelineView lifecycle(String puuid, CommandType type) {
        PUUID id = validator.puuid(puuid);
        return view(send(command(type, id.toString(), null)).getSpec());
    }

    /** Moves a running backtest's end later; anything else in the body is refused. */
    public PipelineView update(String puuid, UpdatePipelineRequest body) {
        PUUID id = validator.puuid(puuid);
        if (body == null || body.endHeight() == null) {
            throw Problems.invalidField("endHeight", "a PATCH of a pipeline names the backtest's new endHeight");
        }
        return view(send(command(CommandType.UPDATE, id.toString(), null).setEndHeight(body.endHeight())).getSpec());
    }

    /** An owner leaves (every owner, when none is named); the last one removes the pipeline. */
    public PipelineView remove(String puuid, Optional<String> owner, boolean keepOutput) {
        PUUID id = validator.puuid(puuid);
        String leaving = owner.map(o -> validator.owner("owner", o)).orElse(null);
        return view(send(command(CommandType.REMOVE, id.toString(), null).setOwner(leaving)
                .setKeepOutput(keepOutput)).getSpec());
    }

    /** Watches an address for an owner's signatures, from the block assigned now. */
    public InterestAccepted watch(String puuid, String address, InterestRequest body) {
        RequestValidator.Interest interest = validator.interest(puuid, address, body, true);
        long next = nextBlock(interest.puuid().pid().network());
        PipelineCommandReply reply = send(command(CommandType.ADD_INTEREST, interest.puuid().toString(), next)
                .setOwner(interest.owner()).setAddress(interest.address()).setSignatures(interest.signatures()));
        // the control plane decides the block: above its horizon, or kept when the interest is repeated
        return new InterestAccepted(reply.getSpec().getPuuid(), interest.address(), interest.owner(),
                interest.signatures(), reply.getEffectiveFrom());
    }

    /** Withdraws an owner's interest in an address. */
    public PipelineView unwatch(String puuid, String address, InterestRequest body) {
        RequestValidator.Interest interest = validator.interest(puuid, address, body, false);
        return view(send(command(CommandType.REMOVE_INTEREST, interest.puuid().toString(), null)
                .setOwner(interest.owner()).setAddress(interest.address())).getSpec());
    }

    /**
     * Every register, each saying whether this service can run a pipeline of it (its runtime has
     * every processor, or the oracle's delivery, the register's DAG needs: the check a create
     * passes). The DAG is resolved on layer1; which processors it needs does not depend on the network.
     */
    public List<RegisterView> registers() {
        return registry.all().stream()
                .map(register -> RegisterView.of(register,
                        branches.cannotCompute(registry.resolve(register.name(), Network.LAYER1)).isEmpty()))
                .toList();
    }

    private PipelineCommand.Builder command(CommandType type, String puuid, Long nextBlock) {
        return PipelineCommand.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setType(type)
                .setPuuid(puuid)
                .setNextBlock(nextBlock)
                .setIssuedAt(clock.millis());
    }

    private PipelineCommandReply send(PipelineCommand.Builder command) {
        PipelineCommandReply reply = gateway.send(command.build());
        if (!reply.getOk()) {
            throw Problems.refused(reply.getError());
        }
        if (reply.getSpec() != null) {
            catalogue.update(reply.getSpec());
        }
        return reply;
    }

    private long nextBlock(Network network) {
        try {
            return nextBlocks.nextBlock(network);
        } catch (RuntimeException e) {
            throw new ControlPlaneUnavailable("could not read the head of " + network.label() + " from "
                    + names.registerTopic(network, Registers.GETH_BLOCK) + ": " + e.getMessage(), e);
        }
    }

    /** The view with the freshest status known: the runtime's topic or this instance's branches. */
    private PipelineView view(PipelineSpec spec) {
        Optional<PipelineStatus> status = Stream.of(catalogue.status(spec.getPuuid()), branches.status(spec.getPuuid()))
                .flatMap(Optional::stream)
                .max(Comparator.comparingLong(PipelineStatus::getUpdatedAt));
        return PipelineView.of(spec, status, names);
    }
}
