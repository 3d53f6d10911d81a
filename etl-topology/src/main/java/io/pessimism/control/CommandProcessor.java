package io.pessimism.control;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.interest.InterestHorizon;
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
 * A refused or failing command is answered with its error; the processor carries on.
 *
 * <p>Every {@link InterestHorizon#ADVANCE_INTERVAL} it raises the {@link InterestHorizon} of each network with an
 * active pipeline to that network's chain head: branches hold a block until its horizon passes it,
 * so the interval bounds the latency this adds to a new block.
 */
final class CommandProcessor implements Processor<String, PipelineCommand, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(CommandProcessor.class);

    private final CommandApplier applier;
    private final NextBlocks heads;
    private ProcessorContext<String, SpecificRecord> context;
    private ControlStore store;
    private long lastHorizonWarning;

    CommandProcessor(CommandApplier applier, NextBlocks heads) {
        this.applier = applier;
        this.heads = heads;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.store = new ControlStore(context.getStateStore(ControlStore.PIPELINES),
                context.getStateStore(ControlStore.SHARED_INDEX), context.getStateStore(ControlStore.INTERESTS),
                context.getStateStore(ControlStore.FINISHED));
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
    public void process(Record<String, PipelineCommand> record) {
        PipelineCommand command = record.value();
        if (command == null) {
            log.warn("{}: skipped a null command (key {}): there is no request to answer",
                    ControlPlaneTopology.COMMANDS_SOURCE, record.key());
            return;
        }
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
        for (var spec : outcome.specs()) {
            context.forward(record.withKey(spec.getPuuid()).withValue(spec), ControlPlaneTopology.SPECS_SINK);
        }
        for (var change : outcome.interests()) {
            context.forward(record.withKey(change.key().render()).withValue(change.interest()),
                    ControlPlaneTopology.INTERESTS_SINK);
        }
        context.forward(record.withKey(command.getRequestId()).withValue(outcome.reply()),
                ControlPlaneTopology.REPLIES_SINK);
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
