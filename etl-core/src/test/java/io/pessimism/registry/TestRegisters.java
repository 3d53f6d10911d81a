package io.pessimism.registry;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLog;

/** Registers defined only for tests, built on the seed's geth_block. */
public final class TestRegisters {

    /** Aggregates layer1 and layer2 blocks, triggered by layer2's. */
    public static final Register L1_L2_SYNC = Register.aggregator("l1_l2_sync", 40, Block.class)
            .dependsOn("geth_block@layer1", "geth_block@layer2")
            .triggeredBy("geth_block@layer2")
            .build();

    /** A pipe over the pipeline's own network's blocks. */
    public static final Register BLOCK_TAG = Register.pipe("block_tag", 41, Block.class)
            .dependsOn("geth_block")
            .build();

    /** Reads block_tag and, through it and directly, geth_block: a diamond. */
    public static final Register TAG_JOIN = Register.aggregator("tag_join", 42, EventLog.class)
            .dependsOn("block_tag", "geth_block")
            .triggeredBy("block_tag")
            .build();

    private TestRegisters() {
    }

    public static Registry registry() {
        Registry registry = Registry.standard();
        registry.registerAll(java.util.List.of(L1_L2_SYNC, BLOCK_TAG, TAG_JOIN));
        return registry;
    }
}
