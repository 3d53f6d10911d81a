package io.pessimism.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import org.junit.jupiter.api.Test;

class ComponentCatalogTest {

    private final Registry registry = DigestRegisters.registry();

    @Test
    void aDagWhosePipesAllHaveProcessorsCanBeBuilt() {
        assertThat(ComponentCatalog.standard().cannotBuild(registry.resolve("event_log", Network.LAYER1))).isEmpty();
        assertThat(DigestRegisters.catalog().cannotBuild(registry.resolve("digest_relay", Network.LAYER2))).isEmpty();
    }

    @Test
    void anOraclesRegisterIsNotABranch() {
        assertThat(ComponentCatalog.standard().cannotBuild(registry.resolve("geth_block", Network.LAYER1)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("register geth_block is an oracle")
                        .contains("implemented: [event_log]"));
    }

    @Test
    void anUpstreamPipeWithoutAProcessorIsNamed() {
        ComponentCatalog relayOnly = ComponentCatalog.standard().with(new DigestRegisters.RelayFactory());
        assertThat(relayOnly.cannotBuild(registry.resolve("digest_relay", Network.LAYER1)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("register block_digest has no processor implementation")
                        .contains("[digest_relay, event_log]"));
    }
}
