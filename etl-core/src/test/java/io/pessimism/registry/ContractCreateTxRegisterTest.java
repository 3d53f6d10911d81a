package io.pessimism.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.ContractCreation;
import io.pessimism.component.ComponentGraph;
import io.pessimism.component.ComponentNode;
import io.pessimism.component.ComponentType;
import io.pessimism.id.ComponentPID;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.topic.TopicNames;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the register added as the worked example of docs/registers.md gets from its one registration
 * line in {@link Registers}: its place in the standard registry, its DAG, its PIDs and its topic
 * names, derived by the shared machinery and nothing written for it.
 */
class ContractCreateTxRegisterTest {

    private static final UUID UUID_1 = UUID.fromString("0f8e2a6c-1b3d-4e5f-9a7b-c8d9e0f1a2b3");

    private final Registry registry = Registry.standard();
    private final TopicNames names = new TopicNames("pessimism");

    @Test
    void itIsAStandardPipeOnGethBlocksTakingTheNextFreeId() {
        Register register = registry.get("contract_create_tx");
        assertThat(register).isSameAs(Registers.CONTRACT_CREATE_TX);
        assertThat(register.id()).isEqualTo((byte) 5);
        assertThat(register.componentType()).isEqualTo(ComponentType.PIPE);
        assertThat(register.outputType()).isEqualTo(ContractCreation.class);
        assertThat(register.dependencies()).containsExactly(Dependency.on("geth_block"));
        assertThat(register.addressable()).as("every creation, whoever made it: no interests").isFalse();
        assertThat(register.matchesEvents()).isFalse();
        assertThat(registry.find((byte) 5)).containsSame(register);
    }

    @Test
    void itsDagIsTheNetworksBlockOracleFeedingThePipe() {
        ComponentGraph graph = registry.resolve("contract_create_tx", Network.LAYER2);

        ComponentNode oracle = new ComponentNode(Network.LAYER2, Registers.GETH_BLOCK);
        ComponentNode pipe = new ComponentNode(Network.LAYER2, Registers.CONTRACT_CREATE_TX);
        assertThat(graph.nodes()).containsExactly(oracle, pipe);
        assertThat(graph.sources()).containsExactly(oracle);
        assertThat(graph.triggerSource()).isEqualTo(oracle);
        assertThat(graph.downstream()).isEqualTo(pipe);
        assertThat(graph.upstreamOf(pipe)).containsExactly(oracle);
    }

    @Test
    void itsPids() {
        ComponentPID component = new ComponentPID(Network.LAYER1, PipelineType.LIVE, Registers.CONTRACT_CREATE_TX);
        assertThat(component).hasToString("layer1:live:pipe:contract_create_tx");
        assertThat(component.bytes()).containsExactly(1, 2, 2, 5);
        assertThat(ComponentPID.parse(component.toString(), registry)).isEqualTo(component);

        PipelinePID live = PipelinePID.of(PipelineType.LIVE, registry.resolve("contract_create_tx", Network.LAYER1));
        assertThat(live).hasToString("live::layer1:live:pipe:contract_create_tx::layer1:live:oracle:geth_block");
        assertThat(live.bytes()).containsExactly(2, 1, 2, 2, 5, 1, 2, 1, 2);
        assertThat(PipelinePID.parse(live.toString(), registry)).isEqualTo(live);
        assertThat(PipelinePID.fromBytes(live.bytes(), registry)).isEqualTo(live);
        assertThat(live.register()).isSameAs(Registers.CONTRACT_CREATE_TX);

        PipelinePID backtest = PipelinePID.of(PipelineType.BACKTEST,
                registry.resolve("contract_create_tx", Network.LAYER2));
        assertThat(backtest).hasToString(
                "backtest::layer2:backtest:pipe:contract_create_tx::layer2:backtest:oracle:geth_block");
        assertThat(backtest).isNotEqualTo(live);
    }

    @Test
    void itsTopicNames() {
        PUUID live = new PUUID(PipelinePID.of(PipelineType.LIVE,
                registry.resolve("contract_create_tx", Network.LAYER1)), UUID_1);
        String shared = names.pipelinePrefix(live, true);
        assertThat(shared).isEqualTo("pessimism.live.layer1-contract_create_tx.layer1-geth_block");
        assertThat(names.out(shared)).isEqualTo("pessimism.live.layer1-contract_create_tx.layer1-geth_block.out");
        assertThat(names.dlq(shared)).isEqualTo("pessimism.live.layer1-contract_create_tx.layer1-geth_block.dlq");
        assertThat(names.applicationId(shared)).isEqualTo(shared);
        assertThat(names.pipelinePrefix(live, false)).as("a backfill's own prefix adds the UUID")
                .isEqualTo(shared + ".0f8e2a6c1b3d4e5f9a7bc8d9e0f1a2b3");
        assertThat(names.registerTopic(Network.LAYER1, "geth_block")).as("its source, shared with every pipe on blocks")
                .isEqualTo("pessimism.layer1.geth_block");
    }
}
