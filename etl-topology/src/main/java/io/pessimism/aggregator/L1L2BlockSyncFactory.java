package io.pessimism.aggregator;

import io.pessimism.avro.L1L2BlockSyncOutput;
import io.pessimism.registry.Registers;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.ProcessorFactory;
import io.pessimism.topology.Tagged;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The l1_l2_block_sync register's implementation: a {@link SingleValueSubscriptionAggregator} over
 * the blocks of layer1 and layer2, triggered by the pipeline's network's.
 */
public final class L1L2BlockSyncFactory implements ProcessorFactory {

    @Override
    public String register() {
        return Registers.L1_L2_BLOCK_SYNC.name();
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
