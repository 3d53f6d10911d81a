package io.pessimism.pipeline;

import io.pessimism.avro.Block;
import io.pessimism.registry.Registers;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.ProcessorDecorator;
import io.pessimism.topology.ProcessorFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The standard catalogue, except that the event_log pipe of one pipeline fails the first time it
 * gets one block (a bug, not a poison record): its branch stops in ERROR with its transaction
 * open, which Kafka Streams aborts, and the runtime's retry starts it again from what it committed.
 */
final class CrashOnce {

    private CrashOnce() {
    }

    /** @param puuid the pipeline whose pipe fails; {@code block} the height it fails at, once */
    static ComponentCatalog atBlock(String puuid, long block) {
        ComponentCatalog standard = ComponentCatalog.standard();
        ProcessorFactory eventLog = standard.get(Registers.EVENT_LOG.name());
        AtomicBoolean crashed = new AtomicBoolean();
        ProcessorFactory crashing = new ProcessorFactory() {
            @Override
            public String register() {
                return eventLog.register();
            }

            @Override
            public Class<? extends SpecificRecord> outputType() {
                return eventLog.outputType();
            }

            @Override
            public ProcessorSupplier<String, ?, String, ?> processor(ComponentContext context) {
                @SuppressWarnings("unchecked")
                var pipe = (ProcessorSupplier<String, Block, String, Object>) eventLog.processor(context);
                boolean target = context.branch().puuid().equals(puuid);
                return new ProcessorDecorator<>(pipe) {
                    @Override
                    protected void process(Processor<String, Block, String, Object> processor,
                            Record<String, Block> record) {
                        if (target && record.value().getNumber() == block && !record.value().getRemoved()
                                && crashed.compareAndSet(false, true)) {
                            throw new IllegalStateException("crash at block " + block + " (test)");
                        }
                        processor.process(record);
                    }
                };
            }
        };
        return ComponentCatalog.of(standard.registers().stream().filter(r -> !r.equals(eventLog.register()))
                .map(standard::get).toList()).with(crashing);
    }
}
