package io.pessimism.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.OracleHealth;
import io.pessimism.component.ComponentNode;
import io.pessimism.network.Network;
import io.pessimism.registry.Registers;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceHealthTest {

    private static final ComponentNode L1_BLOCKS = new ComponentNode(Network.LAYER1, Registers.GETH_BLOCK);
    private static final ComponentNode L2_BLOCKS = new ComponentNode(Network.LAYER2, Registers.GETH_BLOCK);

    private final SourceHealth sources = new SourceHealth();

    @Test
    void aFailedSourceIsNamedWithItsErrorUntilItRunsAgain() {
        assertThat(sources.update(health("layer1", "LIVE", 10, null, 1))).as("up, as unknown was").isFalse();
        assertThat(sources.failure(List.of(L1_BLOCKS, L2_BLOCKS))).isEmpty();

        assertThat(sources.update(health("layer1", "FAILED", 10, "reorg deeper than the reorg window of 3 blocks", 2)))
                .as("a change").isTrue();
        assertThat(sources.failure(List.of(L2_BLOCKS, L1_BLOCKS))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("geth_block", "layer1", "p.layer1.geth_block", "FAILED", "reorg deeper"));
        assertThat(sources.failure(List.of(L2_BLOCKS))).as("another network's pipelines").isEmpty();

        assertThat(sources.update(health("layer1", "FAILED", 10, "again", 3))).as("still failed").isFalse();
        assertThat(sources.update(health("layer1", "CATCHING_UP", 11, null, 4))).isTrue();
        assertThat(sources.failure(List.of(L1_BLOCKS))).isEmpty();
    }

    @Test
    void aSourceWhoseNodeFailsBeyondItsBudgetIsNamedWithTheNodeUntilItAnswers() {
        sources.update(health("layer1", "LIVE", 10, null, 1));
        assertThat(sources.update(health("layer1", "BACKING_OFF", 10, "eth_blockNumber: 503", 2)))
                .as("within the budget: no change").isFalse();
        assertThat(sources.failure(List.of(L1_BLOCKS))).isEmpty();

        assertThat(sources.update(health("layer1", "NODE_FAILING", 10,
                "node 10.0.0.7:8545 has failed every call for 30.2 s (9 errors in a row)", 3))).isTrue();
        assertThat(sources.failure(List.of(L1_BLOCKS))).hasValueSatisfying(reason -> assertThat(reason)
                .contains("geth_block", "layer1", "is NODE_FAILING", "node 10.0.0.7:8545 has failed"));

        assertThat(sources.update(health("layer1", "LIVE", 11, null, 4))).as("the node answers again").isTrue();
        assertThat(sources.failure(List.of(L1_BLOCKS))).isEmpty();
    }

    @Test
    void anOlderStateNeverReplacesANewerOne() {
        sources.update(health("layer1", "LIVE", 20, null, 5));
        assertThat(sources.update(health("layer1", "FAILED", 9, "old news", 4))).isFalse();
        assertThat(sources.failure(List.of(L1_BLOCKS))).isEmpty();
        assertThat(sources.head(L1_BLOCKS)).hasValue(20L);
    }

    @Test
    void aHeadIsKnownOnceTheOracleHasCommittedABlock() {
        assertThat(sources.head(L1_BLOCKS)).isEmpty();
        sources.update(health("layer1", "STARTING", -1, null, 1));
        assertThat(sources.head(L1_BLOCKS)).isEmpty();
        sources.update(health("layer1", "LIVE", 0, null, 2));
        assertThat(sources.head(L1_BLOCKS)).hasValue(0L);
    }

    private static OracleHealth health(String network, String state, long head, String error, long updatedAt) {
        return OracleHealth.newBuilder().setNetwork(network).setRegister("geth_block")
                .setTopic("p." + network + ".geth_block").setState(state).setOracleHead(head).setNodeHead(head)
                .setLag(0).setNodeErrors(0).setLastError(error).setHost(null).setUpdatedAt(updatedAt).build();
    }
}
