package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.delivery.GethBlockDeliveryFactory;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.ProcessorFactory;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The processor of a bench-only pipe over {@code geth_block}: every block, as it came, in the
 * register's envelope, as the geth_block register's own delivery does. It lets a bench start as
 * many real branches as it needs PIDs when the standard catalogue implements fewer registers.
 */
public final class BlockRelayFactory implements ProcessorFactory {

    private static final GethBlockDeliveryFactory DELIVERY = new GethBlockDeliveryFactory();

    private final String register;

    public BlockRelayFactory(String register) {
        this.register = register;
    }

    @Override
    public String register() {
        return register;
    }

    @Override
    public Class<GethBlockOutput> outputType() {
        return DELIVERY.outputType();
    }

    @Override
    public ProcessorSupplier<String, Block, String, GethBlockOutput> processor(ComponentContext context) {
        return DELIVERY.processor(context); // the envelope names the context's register: this bench pipe
    }
}
