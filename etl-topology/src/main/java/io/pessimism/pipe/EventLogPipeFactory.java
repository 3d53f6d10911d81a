package io.pessimism.pipe;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.registry.Registers;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.HorizonGate;
import io.pessimism.topology.ProcessorFactory;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/** The event_log register's implementation: {@link EventLogPipe} over its pipeline's geth_block. */
public final class EventLogPipeFactory implements ProcessorFactory {

    @Override
    public String register() {
        return Registers.EVENT_LOG.name();
    }

    @Override
    public Class<EventLogOutput> outputType() {
        return EventLogOutput.class;
    }

    @Override
    public ProcessorSupplier<String, Block, String, EventLogOutput> processor(ComponentContext context) {
        String puuid = context.branch().puuid();
        EnvelopeTemplate envelopes = new EnvelopeTemplate(context);
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, Block, String, EventLogOutput> get() {
                return new EventLogPipe(puuid, new HorizonGate<>(context, Block::getNumber), envelopes);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // blocks above the interest horizon, kept in the branch's transactions like its output
                return Set.of(HorizonGate.heldStore(context, Block.class));
            }
        };
    }
}
