package io.pessimism.delivery;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.registry.Registers;
import io.pessimism.topology.BlockRecords;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.ProcessorFactory;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/** The geth_block register's delivery: {@link GethBlockDelivery} over the oracle's topic. */
public final class GethBlockDeliveryFactory implements ProcessorFactory {

    @Override
    public String register() {
        return Registers.GETH_BLOCK.name();
    }

    @Override
    public Class<GethBlockOutput> outputType() {
        return GethBlockOutput.class;
    }

    @Override
    public ProcessorSupplier<String, Block, String, GethBlockOutput> processor(ComponentContext context) {
        BlockRecords blocks = new BlockRecords(context);
        return () -> new GethBlockDelivery(blocks);
    }
}
