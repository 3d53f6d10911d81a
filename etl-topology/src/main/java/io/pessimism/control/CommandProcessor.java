package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.logging.LogContext;
import io.pessimism.network.Network;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer: applies each command of {@code <ns>.pipeline-commands} in order against the
 * stores and forwards the spec and interest changes, then exactly one reply for its request id.
 * A refused or failing command is answered with its error; the processor carries on. It also
 * reads {@code <ns>.pipeline-status}: what the runtime observes (a backtest done, a backfill caught
 * up or merged) changes what it may apply ({@link Merges}).
 *
 * <p>Every {@link InterestHorizon#ADVANCE_INTERVAL} it raises the {@link InterestHorizon} of each network with an
 * active pipeline to that network's chain head: branches hold a block until its horizon passes it,
 * so the interval bounds the latency this adds to a new block.
 */
final class CommandProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final CommandApplier applier;
    private final Merges merges;
    private final NextBlocks heads;
    private ProcessorContext<String, SpecificRecord> context;
    private ControlStore store;
    private long lastHorizonWarning;

    CommandProcessor(CommandApplier applier, Merges merges, NextBlocks heads) {
        this.applier = applier;
        this.merges = merges;
        this.heads = heads;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = new ControlStore(context.getStateStore(ControlStore.PIPELINES),
                context.getStateStore(ControlStore.SHARED_INDEX), context.getStateStore(ControlStore.INTERESTS),
                context.getStateStore(ControlStore.OBSERVED));
        context.schedule(InterestHorizon.ADVANCE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::advanceHorizons);
    }

    private void advanceHorizons(long now) {
        for (Network network : store.activeNetworks()) {
            long head;
            try {
                head = heads.nextBlock(network) - 1;
            } catch (RuntimeException e) {
                // branches hold their blocks meanwhile: nothing is lost, so say it once a minute
                if (now - lastHorizonWarning > 60_000) {
                    lastHorizonWarning = now;
                    log.warn("interest horizon of {} not advanced: could not read its chain head: {}",
                            network.label(), e.getMessage());
                }
                continue;
            }
            AddressInterest horizon = store.raiseHorizon(network, head);
            if (horizon != null) {
                context.forward(new Record<String, SpecificRecord>(InterestHorizon.key(network), horizon, now),
                        ControlPlaneTopology.INTERESTS_SINK);
            }
        }
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.value() instanceof PipelineStatus status) {
            try (var logged = LogContext.forPipeline(status.getPuuid())) {
                observed(record, status);
            }
            return;
        }
        PipelineCommand command = (PipelineCommand) record.value();
        if (command == null) {
            log.warn("{}: skipped a null command (key {}): there is no request to answer",
                    ControlPlaneTopology.COMMANDS_SOURCE, record.key());
            return;
        }
        // a CREATE names no pipeline yet (its puuid is null): its lines carry none
        try (var logged = LogContext.forPipeline(command.getPuuid())) {
            apply(record, command);
        }
    }

    private void apply(Record<String, SpecificRecord> record, PipelineCommand command) {
        Outcome outcome;
        try {
            outcome = applier.apply(command, store);
        } catch (CommandRefused refused) {
            outcome = new Outcome().reply(refusal(command, refused));
        } catch (RuntimeException e) {
            log.error("command {} {} on {} failed", command.getType(), command.getRequestId(), command.getPuuid(), e);
            outcome = new Outcome().reply(refusal(command, CommandRefused.internal(
                    command.getType() + " failed: " + e)));
        }
        emit(record, outcome);
        context.forward(record.withKey(command.getRequestId()).withValue(outcome.reply()),
                ControlPlaneTopology.REPLIES_SINK);
    }

    /** A branch's observed state: kept (a done backtest), and a caught-up or merged backfill handled. */
    private void observed(Record<String, SpecificRecord> record, PipelineStatus status) {
        store.observe(status);
        try {
            emit(record, merges.observed(status, store, heads));
        } catch (RuntimeException e) {
            log.error("pipeline {}: its {} status could not be applied", status.getPuuid(), status.getState(), e);
        }
    }

    private void emit(Record<String, SpecificRecord> record, Outcome outcome) {
        for (var spec : outcome.specs()) {
            context.forward(record.withKey(spec.getPuuid()).withValue(spec), ControlPlaneTopology.SPECS_SINK);
        }
        for (var change : outcome.interests()) {
            context.forward(record.withKey(change.key().render()).withValue(change.interest()),
                    ControlPlaneTopology.INTERESTS_SINK);
        }
        for (var own : outcome.reserved()) {
            context.forward(record.withKey(own.getKey()).withValue(own.getValue()), ControlPlaneTopology.INTERESTS_SINK);
        }
    }

    private static PipelineCommandReply refusal(PipelineCommand command, CommandRefused refused) {
        return PipelineCommandReply.newBuilder()
                .setRequestId(command.getRequestId())
                .setOk(false)
                .setPuuid(command.getPuuid())
                .setError(refused.error())
                .build();
    }
}
