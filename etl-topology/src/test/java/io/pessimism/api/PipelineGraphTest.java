package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchDefinition;
import io.pessimism.topology.BranchLayout;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.TestPipelines;
import io.pessimism.topology.TopologyGenerator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.Test;

/** The registry DAG and the running pipelines' branches as Mermaid, DOT and JSON. */
class PipelineGraphTest {

    private static final Registry REGISTRY = Registry.standard();
    private static final TopicNames NAMES = new TopicNames("g");
    private static final Topics TOPICS = new Topics(NAMES, InProcessSchemaRegistry.inMemory(), -1);
    private static final TopologyGenerator GENERATOR = new TopologyGenerator(ComponentCatalog.standard(), TOPICS);

    /** The layout the production runtime gives: the generator's topics and its topology's description. */
    private static Optional<BranchLayout> layout(PipelineSpec spec) {
        BranchDefinition definition = BranchDefinition.of(spec, REGISTRY);
        Topology topology = GENERATOR.build(definition, new BranchCounters());
        return Optional.of(new BranchLayout(definition.prefix(),
                GENERATOR.sourceTopics(definition).stream().map(t -> t.name()).toList(),
                NAMES.out(definition.prefix()), topology.describe().toString()));
    }

    private final PipelineSpec eventLog = TestPipelines.live(REGISTRY, NAMES, "event_log", Network.LAYER1, null);
    private final PipelineSpec sameBranch = TestPipelines.live(REGISTRY, NAMES, "event_log", Network.LAYER1, null);
    private final PipelineSpec sync = TestPipelines.live(REGISTRY, NAMES, "l1_l2_block_sync", Network.LAYER2, null);
    private final PipelineSpec stopped = TestPipelines.withState(
            TestPipelines.live(REGISTRY, NAMES, "geth_block", Network.LAYER1, null), DesiredState.STOPPED);

    private final PipelineGraph graph = new PipelineGraph(REGISTRY, List.of(eventLog, sameBranch, sync, stopped),
            PipelineGraphTest::layout);

    @Test
    void mermaidDrawsTheRegistryThenEachRunningBranchFromItsTopicsToItsOut() {
        String mermaid = graph.mermaid();

        assertThat(mermaid).startsWith("graph LR;\n").contains("    geth_block --> event_log;\n");
        assertThat(mermaid).contains("    subgraph b0[\"live event_log on layer1: g.live.layer1-event_log.layer1-geth_block "
                + "(2 pipelines)\"]\n"
                + "        b0_n0[(\"g.layer1.geth_block\")];\n"
                + "        b0_n1[\"event_log@layer1\"];\n"
                + "        b0_out[(\"g.live.layer1-event_log.layer1-geth_block.out\")];\n"
                + "        b0_n0 --> b0_n1;\n"
                + "        b0_n1 --> b0_out;\n"
                + "    end\n");
        assertThat(mermaid).as("the aggregator's two sources, the trigger's first")
                .contains("[(\"g.layer2.geth_block\")]", "[(\"g.layer1.geth_block\")]", "[\"l1_l2_block_sync@layer2\"]")
                .contains("subgraph b1[\"live l1_l2_block_sync on layer2");
        assertThat(mermaid).as("a stopped pipeline runs no branch").doesNotContain("subgraph b2")
                .doesNotContain("layer1-geth_block.layer1-geth_block");
    }

    @Test
    void dotHasAClusterPerBranchInsideTheRegistryDigraph() {
        String dot = graph.dot();

        assertThat(dot).startsWith("digraph registry {\n").endsWith("    }\n}\n");
        assertThat(dot).contains("    subgraph cluster_b0 {\n", "b0_n0 [label=\"g.layer1.geth_block\", shape=cylinder];",
                "b0_n1 [label=\"event_log@layer1\", shape=box];", "b0_n0 -> b0_n1;", "b0_n1 -> b0_out;",
                "subgraph cluster_b1 {");
    }

    @Test
    void jsonListsEachBranchWithItsPipelinesTopicsAndTopology() {
        Map<String, Object> structure = graph.structure();

        assertThat((List<?>) structure.get("registers")).hasSize(REGISTRY.all().size());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> branches = (List<Map<String, Object>>) structure.get("branches");
        assertThat(branches).hasSize(2);
        Map<String, Object> first = branches.get(0);
        assertThat(first.get("prefix")).isEqualTo(eventLog.getPrefix());
        assertThat((List<?>) first.get("pipelines")).hasSize(2);
        assertThat(first.get("sources")).isEqualTo(List.of("g.layer1.geth_block"));
        assertThat((String) first.get("topology")).contains("Sub-topology: 0", "Source: geth_block.layer1",
                "Sink: out (topic: g.live.layer1-event_log.layer1-geth_block.out)");
        assertThat(branches.get(1).get("sources")).isEqualTo(List.of("g.layer2.geth_block", "g.layer1.geth_block"));
    }
}
