package io.pessimism.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import io.pessimism.registry.TestRegisters;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentGraphTest {

    private final Registry registry = TestRegisters.registry();

    private static ComponentNode node(Network network, Register register) {
        return new ComponentNode(network, register);
    }

    @Test
    void anOracleIsItsOwnPipeline() {
        ComponentGraph graph = registry.resolve("account_balance", Network.LAYER2);
        ComponentNode balance = node(Network.LAYER2, Registers.ACCOUNT_BALANCE);
        assertThat(graph.nodes()).containsExactly(balance);
        assertThat(graph.edges()).isEmpty();
        assertThat(graph.downstream()).isEqualTo(balance);
        assertThat(graph.triggerSource()).isEqualTo(balance);
    }

    @Test
    void eventLogReadsBlocksOfItsOwnNetwork() {
        ComponentGraph graph = registry.resolve("event_log", Network.LAYER2);
        ComponentNode blocks = node(Network.LAYER2, Registers.GETH_BLOCK);
        ComponentNode logs = node(Network.LAYER2, Registers.EVENT_LOG);
        assertThat(graph.nodes()).containsExactly(blocks, logs);
        assertThat(graph.edges()).containsExactly(new ComponentEdge(blocks, logs));
        assertThat(graph.sources()).containsExactly(blocks);
        assertThat(graph.triggerSource()).isEqualTo(blocks);
        assertThat(graph.downstreamOf(blocks)).containsExactly(logs);
        assertThat(graph.network()).isEqualTo(Network.LAYER2);
    }

    @Test
    void aggregatorHasOneSourcePerNetworkAndItsTriggerDrivesThePipeline() {
        ComponentGraph graph = registry.resolve("l1_l2_sync", Network.LAYER1);
        ComponentNode l1 = node(Network.LAYER1, Registers.GETH_BLOCK);
        ComponentNode l2 = node(Network.LAYER2, Registers.GETH_BLOCK);
        ComponentNode sync = node(Network.LAYER1, TestRegisters.L1_L2_SYNC);
        assertThat(graph.nodes()).containsExactly(l1, l2, sync);
        assertThat(graph.sources()).containsExactly(l1, l2);
        assertThat(graph.upstreamOf(sync)).containsExactly(l1, l2);
        assertThat(graph.edges()).containsExactly(new ComponentEdge(l1, sync),
                new ComponentEdge(l2, sync));
        assertThat(graph.triggerSource()).isEqualTo(l2);
        assertThat(graph.downstream()).isEqualTo(sync);
    }

    @Test
    void aNodeReachedTwiceAppearsOnceBeforeEveryReader() {
        ComponentGraph graph = registry.resolve("tag_join", Network.LAYER1);
        ComponentNode blocks = node(Network.LAYER1, Registers.GETH_BLOCK);
        ComponentNode tag = node(Network.LAYER1, TestRegisters.BLOCK_TAG);
        ComponentNode join = node(Network.LAYER1, TestRegisters.TAG_JOIN);
        assertThat(graph.nodes()).containsExactly(blocks, tag, join);
        assertThat(graph.downstreamOf(blocks)).containsExactly(tag, join);
        assertThat(graph.triggerSource()).isEqualTo(blocks);
    }

    @Test
    void askingForAComponentOutsideTheGraphFails() {
        ComponentGraph graph = registry.resolve("event_log", Network.LAYER1);
        assertThatThrownBy(() -> graph.upstreamOf(node(Network.LAYER2, Registers.GETH_BLOCK)))
                .hasMessageContaining("no component geth_block@layer2");
    }

    @Test
    void resolvingThroughACyclicLookupNamesTheCycle() {
        // The Registry refuses cycles; the graph still guards against a lookup that has one.
        Register a = Register.pipe("a", 10, Block.class).dependsOn("b").build();
        Register b = Register.pipe("b", 11, Block.class).dependsOn("a").build();
        Map<String, Register> lookup = Map.of("a", a, "b", b);
        assertThatThrownBy(() -> ComponentGraph.resolve(a, Network.LAYER1, lookup::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("dependency cycle: a@layer1 -> b@layer1 -> a@layer1");
    }
}
