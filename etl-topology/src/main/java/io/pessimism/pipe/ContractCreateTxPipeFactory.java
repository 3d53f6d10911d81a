package io.pessimism.pipe;

import io.pessimism.avro.Block;
import io.pessimism.avro.ContractCreateTxOutput;
import io.pessimism.registry.Registers;
import io.pessimism.topology.BlockRecords;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.ProcessorFactory;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/** The contract_create_tx register's implementation: {@link ContractCreateTxPipe} over its pipeline's geth_block. */
public final class ContractCreateTxPipeFactory implements ProcessorFactory {

    @Override
    public String register() {
        return Registers.CONTRACT_CREATE_TX.name();
    }

    @Override
    public Class<ContractCreateTxOutput> outputType() {
        return ContractCreateTxOutput.class;
    }

    @Override
    public ProcessorSupplier<String, Block, String, ContractCreateTxOutput> processor(ComponentContext context) {
        BlockRecords blocks = new BlockRecords(context);
        return () -> new ContractCreateTxPipe(blocks);
    }
}
