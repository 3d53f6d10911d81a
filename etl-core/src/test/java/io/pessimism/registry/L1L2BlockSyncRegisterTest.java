package io.pessimism.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.component.ComponentEdge;
import io.pessimism.component.ComponentGraph;
import io.pessimism.component.ComponentNode;
import io.pessimism.component.ComponentType;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.topic.TopicNames;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the l1_l2_block_sync register gets from the registry: its DAG on each network, the trigger
 * following the pipeline's network (DESIGN.md §6), and so two PIDs and two sets of topics that
 * never collide.
 */
class L1L2BlockSyncRegisterTest {

    private final Registry registry = Registry.standard();
    private final TopicNames names = new TopicNames("pessimism");
    private final ComponentNode l1Blocks = new ComponentNode(Network.LAYER1, Registers.GETH_BLOCK);
    private final ComponentNode l2Blocks = new ComponentNode(Network.LAYER2, Registers.GETH_BLOCK);

    @Test
    void itIsAnAggregatorWithId4OverBothNetworksBlocks() {
        Register sync = registry.get("l1_l2_block_sync");
        assertThat(sync).isSameAs(Registers.L1_L2_BLOCK_SYNC);
        assertThat(sync.id()).isEqualTo((byte) 4);
        assertThat(sync.componentType()).isEqualTo(ComponentType.AGGREGATOR);
        assertThat(sync.dependencies()).extracting(Dependency::toString)
                .containsExactly("geth_block@layer1", "geth_block@layer2");
        assertThat(sync.addressable()).isFalse();
        assertThat(sync.matchesEvents()).isFalse();
    }

    @Test
    void onEitherNetworkItsDagReadsBothBlockTopicsAndItsTriggerIsItsOwnNetworks() {
        for (Network network : Network.values()) {
            ComponentGraph graph = registry.resolve("l1_l2_block_sync", network);
            ComponentNode sync = new ComponentNode(network, Registers.L1_L2_BLOCK_SYNC);
            assertThat(graph.nodes()).containsExactly(l1Blocks, l2Blocks, sync);
            assertThat(graph.edges()).containsExactly(new ComponentEdge(l1Blocks, sync),
                    new ComponentEdge(l2Blocks, sync));
            assertThat(graph.sources()).containsExactly(l1Blocks, l2Blocks);
            assertThat(graph.triggerSource()).isEqualTo(network == Network.LAYER1 ? l1Blocks : l2Blocks);
        }
    }

    @Test
    void theTwoDirectionsHaveTwoPidsAndTwoSetsOfTopics() {
        PipelinePID onL1 = PipelinePID.of(PipelineType.LIVE, registry.resolve("l1_l2_block_sync", Network.LAYER1));
        PipelinePID onL2 = PipelinePID.of(PipelineType.LIVE, registry.resolve("l1_l2_block_sync", Network.LAYER2));

        assertThat(onL1).hasToString("live::layer1:live:aggregator:l1_l2_block_sync::layer1:live:oracle:geth_block");
        assertThat(onL2).hasToString("live::layer2:live:aggregator:l1_l2_block_sync::layer2:live:oracle:geth_block");
        assertThat(onL1.bytes()).containsExactly(2, 1, 2, 3, 4, 1, 2, 1, 2);
        assertThat(onL2.bytes()).containsExactly(2, 2, 2, 3, 4, 2, 2, 1, 2);
        assertThat(PipelinePID.parse(onL1.toString(), registry)).isEqualTo(onL1);
        assertThat(PipelinePID.fromBytes(onL2.bytes(), registry)).isEqualTo(onL2);

        assertThat(names.pipelinePrefix(onL1)).isEqualTo("pessimism.live.layer1-l1_l2_block_sync.layer1-geth_block");
        assertThat(names.pipelinePrefix(onL2)).isEqualTo("pessimism.live.layer2-l1_l2_block_sync.layer2-geth_block");
        assertThat(names.out(names.pipelinePrefix(onL1)))
                .isEqualTo("pessimism.live.layer1-l1_l2_block_sync.layer1-geth_block.out");
        assertThat(names.registerTopic(Network.LAYER1, Registers.GETH_BLOCK)).isEqualTo("pessimism.layer1.geth_block");
        assertThat(names.registerTopic(Network.LAYER2, Registers.GETH_BLOCK)).isEqualTo("pessimism.layer2.geth_block");

        PipelinePID backtest = PipelinePID.of(PipelineType.BACKTEST,
                registry.resolve("l1_l2_block_sync", Network.LAYER2));
        UUID uuid = UUID.fromString("0f8e2a6c-1b3d-4e5f-9a7b-c8d9e0f1a2b3");
        assertThat(names.pipelinePrefix(new PUUID(backtest, uuid), false))
                .isEqualTo("pessimism.backtest.layer2-l1_l2_block_sync.layer2-geth_block.0f8e2a6c1b3d4e5f9a7bc8d9e0f1a2b3");
    }
}
