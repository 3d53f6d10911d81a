package io.pessimism.oracle.rpc;

import io.pessimism.avro.CreatedContract;
import io.pessimism.avro.CreationKind;
import java.util.List;
import java.util.Map;

/**
 * What the oracle found out about the contracts one block created, before it is mapped into the
 * Avro block: the {@code contractAddress} of each contract-creating transaction's receipt (by
 * transaction hash) and the contracts created, or null when it did not look.
 */
record BlockCreations(Map<String, String> receiptAddresses, List<CreatedContract> created) {

    private static final BlockCreations NOT_FETCHED = new BlockCreations(Map.of(), null);

    BlockCreations {
        receiptAddresses = Map.copyOf(receiptAddresses);
        created = created == null ? null : List.copyOf(created);
    }

    /**
     * These receipts' addresses with the contracts of the block's call trace instead of the
     * receipts' list. Where both speak of a transaction's own creation they must agree.
     *
     * @throws NodeException naming the block and the transaction when they do not
     */
    BlockCreations withTrace(List<CreatedContract> traced, long height) {
        for (CreatedContract contract : traced) {
            if (contract.getKind() != CreationKind.TRANSACTION) {
                continue;
            }
            String receipt = receiptAddresses.get(contract.getTransactionHash());
            if (!contract.getAddress().equals(receipt)) {
                throw NodeException.at(CallTraceCreations.METHOD, height, "transaction "
                        + contract.getTransactionHash() + " created " + contract.getAddress()
                        + " by its trace but " + receipt + " by its receipt");
            }
        }
        return new BlockCreations(receiptAddresses, traced);
    }

    /** The oracle did not look ({@code contract-creations=off}): the block's createdContracts stays null. */
    static BlockCreations notFetched() {
        return NOT_FETCHED;
    }
}
