package io.pessimism.pipe;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.registry.Registers;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.HorizonGate;
import io.pessimism.topology.ProcessorFactory;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

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
        return HorizonGate.gated(context, Block.class, Block::getNumber,
                gate -> new EventLogPipe(puuid, gate, envelopes));
    }
}
