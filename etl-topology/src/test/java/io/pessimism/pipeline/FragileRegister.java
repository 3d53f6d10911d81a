package io.pessimism.pipeline;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.ProcessorFactory;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/** A test register whose processor has a bug: it throws on block 3 (not a poison record). */
final class FragileRegister {

    static final Register FRAGILE = Register.pipe("fragile", 62, Block.class).dependsOn("geth_block").build();

    private FragileRegister() {
    }

    static Registry registry() {
        Registry registry = Registry.standard();
        registry.register(FRAGILE);
        return registry;
    }

    static ComponentCatalog catalog() {
        return ComponentCatalog.standard().with(new ProcessorFactory() {
            @Override
            public String register() {
                return FRAGILE.name();
            }

            @Override
            public Class<GethBlockOutput> outputType() {
                return GethBlockOutput.class;
            }

            @Override
            public ProcessorSupplier<String, Block, String, GethBlockOutput> processor(ComponentContext context) {
                EnvelopeTemplate envelopes = new EnvelopeTemplate(context);
                return () -> new Processor<>() {
                    private ProcessorContext<String, GethBlockOutput> ctx;

                    @Override
                    public void init(ProcessorContext<String, GethBlockOutput> ctx) {
                        this.ctx = ctx;
                    }

                    @Override
                    public void process(Record<String, Block> record) {
                        Block block = record.value();
                        if (block.getNumber() == 3) {
                            throw new IllegalStateException("cannot digest block 3");
                        }
                        var cursor = new Cursor(block.getNumber(), block.getHash(), false);
                        ctx.forward(record.withValue(new GethBlockOutput(envelopes.envelope(cursor, null, List.of(),
                                record.timestamp(), ctx.currentSystemTimeMs()), block, null, null)));
                    }
                };
            }
        });
    }
}
