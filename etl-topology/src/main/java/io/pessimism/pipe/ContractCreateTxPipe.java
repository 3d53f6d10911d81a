package io.pessimism.pipe;

import io.pessimism.avro.Block;
import io.pessimism.avro.ContractCreateTxOutput;
import io.pessimism.avro.ContractCreation;
import io.pessimism.avro.CreatedContract;
import io.pessimism.avro.Transaction;
import io.pessimism.topology.BlockRecordProcessor;
import io.pessimism.topology.BlockRecords;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The contract_create_tx pipe, a pure function of each {@code geth_block} record: one record per
 * contract the block created ({@code Block.createdContracts}, in its order), with the transaction
 * that created it, its creator and the transaction's sender, keyed by the block number and for
 * every owner (not addressable: every creation matters, whoever made it). A retracted block
 * re-emits the same records with {@code removed=true} ({@link BlockRecords}).
 *
 * <p>What a block lists depends on its network's oracle ({@code networks.<n>.contract-creations}):
 * deployments by transactions with {@code receipts}, factory creations too with {@code traces}. A
 * block that creates a contract by a transaction but lists nothing (written with {@code off}, or
 * before the field existed) cannot be answered without I/O, which a pipe does not do: it stops the
 * branch in ERROR naming the block and the setting, rather than skip a creation silently. A block
 * without such a transaction and without a list has nothing this pipe could emit.
 */
final class ContractCreateTxPipe extends BlockRecordProcessor<ContractCreateTxOutput> {

    ContractCreateTxPipe(BlockRecords blocks) {
        super(blocks);
    }

    @Override
    protected void emit(Block block, Record<String, Block> source, long now) {
        List<CreatedContract> created = block.getCreatedContracts();
        if (created == null) {
            requireNoCreatingTransaction(block);
            return;
        }
        Map<String, Transaction> byHash = new HashMap<>();
        block.getTransactions().forEach(tx -> byHash.put(tx.getHash(), tx));
        for (CreatedContract contract : created) {
            ContractCreateTxOutput output = new ContractCreateTxOutput();
            output.setEnvelope(blocks.envelope(block, source, now));
            output.setValue(creation(block, contract, deployer(block, contract, byHash)));
            output.setMergedInto(null);
            forward(block, output, source);
        }
    }

    private static ContractCreation creation(Block block, CreatedContract contract, String deployer) {
        ContractCreation creation = new ContractCreation();
        creation.setNetwork(block.getNetwork());
        creation.setBlockNumber(block.getNumber());
        creation.setBlockHash(block.getHash());
        creation.setTransactionHash(contract.getTransactionHash());
        creation.setTransactionIndex(contract.getTransactionIndex());
        creation.setAddress(contract.getAddress());
        creation.setCreator(contract.getCreator());
        creation.setDeployer(deployer);
        creation.setKind(contract.getKind());
        creation.setRemoved(block.getRemoved());
        return creation;
    }

    /** The sender of the creating transaction; the oracle lists only the block's own transactions. */
    private static String deployer(Block block, CreatedContract contract, Map<String, Transaction> byHash) {
        Transaction tx = byHash.get(contract.getTransactionHash());
        if (tx == null) {
            throw new IllegalStateException("block " + block.getNumber() + " (" + block.getHash() + ") on "
                    + block.getNetwork() + " lists contract " + contract.getAddress() + " created by transaction "
                    + contract.getTransactionHash() + ", which the block does not hold");
        }
        return tx.getFrom();
    }

    private static void requireNoCreatingTransaction(Block block) {
        for (Transaction tx : block.getTransactions()) {
            if (tx.getTo() == null) {
                String network = block.getNetwork();
                throw new IllegalStateException("block " + block.getNumber() + " (" + block.getHash() + ") on "
                        + network + ": transaction " + tx.getHash() + " creates a contract but the block lists no "
                        + "created contracts: its GethBlock oracle wrote it with networks." + network
                        + ".contract-creations=off (or before that setting existed); contract_create_tx needs "
                        + "receipts or traces for every block it reads");
            }
        }
    }
}
