package io.pessimism.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryGraphTest {

    @Test
    void theSeedRegistersAsMermaidDotAndStructure() {
        RegistryGraph graph = new RegistryGraph(Registry.standard());

        assertThat(graph.mermaid()).startsWith("graph LR;\n")
                .contains("    event_log[\"event_log (pipe, addressable)\"];\n")
                .contains("    geth_block --> event_log;\n");
        assertThat(graph.dot()).contains("    geth_block -> event_log;\n").endsWith("}\n");
        assertThat(graph.structure()).extracting(m -> m.get("name"))
                .containsExactly("account_balance", "geth_block", "event_log", "l1_l2_block_sync",
                        "contract_create_tx");
    }

    @Test
    void aDependencyOnAnotherNetworkIsLabelled() {
        RegistryGraph graph = new RegistryGraph(TestRegisters.registry());

        assertThat(graph.mermaid()).contains("geth_block -->|layer1| l1_l2_sync;");
        assertThat(graph.dot()).contains("geth_block -> l1_l2_sync [label=\"layer1\"];");
    }
}
