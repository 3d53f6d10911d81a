package io.pessimism.aggregator;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.ProcessorFactory;
import io.pessimism.topology.Tagged;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Registers defined only in test sources: {@code third_block} (a pipe passing every third block of
 * its network, retractions too) and {@code tri_block_sync}, an aggregator over three sources, one of
 * them that pipe, triggered by the pipeline's own network's blocks.
 */
final class ThreeSourceRegisters {

    static final Register THIRD_BLOCK = Register.pipe("third_block", 70, Block.class)
            .dependsOn("geth_block").description("every third block").build();
    static final Register TRI_BLOCK_SYNC = Register.aggregator("tri_block_sync", 71, L1L2BlockSync.class)
            .dependsOn("geth_block@layer1", "geth_block@layer2", "third_block@layer2")
            .triggeredBy("geth_block").description("three sources in step").build();

    private ThreeSourceRegisters() {
    }

    static Registry registry() {
        Registry registry = Registry.standard();
        registry.registerAll(List.of(THIRD_BLOCK, TRI_BLOCK_SYNC));
        return registry;
    }

    static ComponentCatalog catalog() {
        return ComponentCatalog.standard().with(new ThirdBlockFactory()).with(new TriBlockSyncFactory());
    }

    static final class ThirdBlockFactory implements ProcessorFactory {
        @Override
        public String register() {
            return THIRD_BLOCK.name();
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
                    if (block.getNumber() % 3 != 0) {
                        return;
                    }
                    var cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
                    ctx.forward(record.withValue(new GethBlockOutput(envelopes.envelope(cursor, null, List.of(),
                            record.timestamp(), ctx.currentSystemTimeMs()), block, null, null)));
                }
            };
        }
    }

    static final class TriBlockSyncFactory implements ProcessorFactory {
        @Override
        public String register() {
            return TRI_BLOCK_SYNC.name();
        }

        @Override
        public Class<L1L2BlockSyncOutput> outputType() {
            return L1L2BlockSyncOutput.class;
        }

        @Override
        public ProcessorSupplier<String, Tagged, String, L1L2BlockSyncOutput> processor(ComponentContext context) {
            return new SingleValueSubscriptionAggregator<>(context, L1L2BlockSyncOutput.class);
        }
    }
}
