package io.pessimism.registry;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.Block;
import io.pessimism.avro.ContractCreation;
import io.pessimism.avro.EventLog;
import io.pessimism.avro.L1L2BlockSync;
import java.util.List;

/**
 * The seed's registers, with the ids the reference implementation gave them. New registers take
 * ids from 4 up. This is the catalogue only: implementations live in the oracle and topology
 * modules and are looked up by register name.
 */
public final class Registers {

    /**
     * Native ETH balances of the watched addresses, per block (oracle, addressable; its interests
     * are addresses only, without event signatures).
     */
    public static final Register ACCOUNT_BALANCE = Register.oracle("account_balance", 1,
                    AccountBalance.class)
            .addressable()
            .description("exact wei balance of each watched address at each block")
            .build();

    /** Blocks with their logs, in height order, with retractions on reorgs (oracle). */
    public static final Register GETH_BLOCK = Register.oracle("geth_block", 2, Block.class)
            .description("blocks with their transactions and logs, retracted on reorgs")
            .build();

    /** Logs of the watched (address, event) pairs, tagged with their owners (pipe, addressable). */
    public static final Register EVENT_LOG = Register.pipe("event_log", 3, EventLog.class)
            .dependsOn(GETH_BLOCK.name())
            .addressable()
            .matchesEvents()
            .description("logs matching the watched addresses and event signatures")
            .build();

    /**
     * Layer1 and layer2 blocks in step (aggregator, Single Value Subscription): on every block of
     * the pipeline's network, that block and the other network's blocks since the previous one, by
     * block time. Its trigger is the dependency on the pipeline's own network, so the two
     * directions are two PIDs.
     */
    public static final Register L1_L2_BLOCK_SYNC = Register.aggregator("l1_l2_block_sync", 4,
                    L1L2BlockSync.class)
            .dependsOn("geth_block@layer1", "geth_block@layer2")
            .triggeredBy(GETH_BLOCK.name())
            .description("each block of the pipeline's network with the other network's blocks since the previous")
            .build();

    /**
     * The contracts each block created, one record per contract: deployments by transactions and,
     * when the network's oracle traces (networks.<n>.contract-creations=traces), by factories (pipe).
     */
    public static final Register CONTRACT_CREATE_TX = Register.pipe("contract_create_tx", 5, ContractCreation.class)
            .dependsOn(GETH_BLOCK.name())
            .description("contracts created in each block, with their creator and deployer")
            .build();

    private Registers() {
    }

    /** The seed's registers in id order. */
    public static List<Register> seed() {
        return List.of(ACCOUNT_BALANCE, GETH_BLOCK, EVENT_LOG);
    }

    /** Every register this build defines, in id order: the seed's, then the registers added since. */
    public static List<Register> standard() {
        return List.of(ACCOUNT_BALANCE, GETH_BLOCK, EVENT_LOG, L1_L2_BLOCK_SYNC, CONTRACT_CREATE_TX);
    }
}
