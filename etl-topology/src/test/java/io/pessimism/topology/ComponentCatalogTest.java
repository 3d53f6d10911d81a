package io.pessimism.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.network.Network;
import io.pessimism.pipe.EventLogPipeFactory;
import io.pessimism.registry.Registry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComponentCatalogTest {

    private final Registry registry = DigestRegisters.registry();

    @Test
    void aDagWhosePipesAllHaveProcessorsCanBeBuilt() {
        assertThat(ComponentCatalog.standard().cannotBuild(registry.resolve("event_log", Network.LAYER1))).isEmpty();
        assertThat(DigestRegisters.catalog().cannotBuild(registry.resolve("digest_relay", Network.LAYER2))).isEmpty();
        assertThat(ComponentCatalog.standard().cannotBuild(registry.resolve("l1_l2_block_sync", Network.LAYER2)))
                .as("an aggregator's sources are oracles read, not delivered").isEmpty();
    }

    @Test
    void anOraclesRegisterIsABranchThroughItsDelivery() {
        assertThat(ComponentCatalog.standard().cannotBuild(registry.resolve("geth_block", Network.LAYER1))).isEmpty();
        assertThat(ComponentCatalog.standard().cannotBuild(registry.resolve("account_balance", Network.LAYER2)))
                .isEmpty();
        assertThat(ComponentCatalog.standard().registers())
                .containsExactlyInAnyOrder("event_log", "geth_block", "account_balance", "l1_l2_block_sync",
                        "contract_create_tx");
    }

    @Test
    void anOracleWithoutADeliveryIsRefusedNamingTheImplementedRegisters() {
        ComponentCatalog pipesOnly = ComponentCatalog.of(List.of(new EventLogPipeFactory()));
        assertThat(pipesOnly.cannotBuild(registry.resolve("event_log", Network.LAYER1)))
                .as("an oracle read by a pipe is a source only").isEmpty();
        assertThat(pipesOnly.cannotBuild(registry.resolve("geth_block", Network.LAYER1)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("register geth_block is an oracle without a delivery in this service")
                        .contains("implemented registers: [event_log]"));
    }

    @Test
    void aBranchRunsItsPipesAndADownstreamOraclesDeliveryAsProcessors() {
        assertThat(ComponentCatalog.processed(registry.resolve("digest_relay", Network.LAYER1)))
                .extracting(node -> node.register().name()).containsExactly("block_digest", "digest_relay");
        assertThat(ComponentCatalog.processed(registry.resolve("account_balance", Network.LAYER1)))
                .extracting(node -> node.register().name()).containsExactly("account_balance");
    }

    @Test
    void anUpstreamPipeWithoutAProcessorIsNamed() {
        ComponentCatalog relayOnly = ComponentCatalog.standard().with(new DigestRegisters.RelayFactory());
        assertThat(relayOnly.cannotBuild(registry.resolve("digest_relay", Network.LAYER1)))
                .hasValueSatisfying(reason -> assertThat(reason)
                        .contains("register block_digest has no processor implementation")
                        .contains("[account_balance, contract_create_tx, digest_relay, event_log, geth_block, l1_l2_block_sync]"));
    }
}
