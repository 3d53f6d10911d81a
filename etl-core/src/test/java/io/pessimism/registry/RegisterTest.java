package io.pessimism.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import io.pessimism.component.ComponentType;
import io.pessimism.network.Network;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegisterTest {

    @Test
    void seedRegistersKeepTheReferenceIds() {
        assertThat(Registers.ACCOUNT_BALANCE.id()).isEqualTo((byte) 1);
        assertThat(Registers.ACCOUNT_BALANCE.addressable()).isTrue();
        assertThat(Registers.GETH_BLOCK.id()).isEqualTo((byte) 2);
        assertThat(Registers.GETH_BLOCK.componentType()).isEqualTo(ComponentType.ORACLE);
        assertThat(Registers.EVENT_LOG.id()).isEqualTo((byte) 3);
        assertThat(Registers.EVENT_LOG.dependencies()).containsExactly(Dependency.on("geth_block"));
        assertThat(Registers.EVENT_LOG.addressable()).isTrue();
    }

    @Test
    void onlyEventLogInterestsNameEventSignatures() {
        assertThat(Registers.EVENT_LOG.matchesEvents()).isTrue();
        assertThat(Registers.ACCOUNT_BALANCE.matchesEvents()).as("an address is the whole interest").isFalse();
        assertThat(Registers.GETH_BLOCK.matchesEvents()).isFalse();
        assertThatThrownBy(() -> Register.pipe("p", 9, Block.class).dependsOn("a").matchesEvents().build())
                .hasMessageContaining("register p: matching events needs interests")
                .hasMessageContaining("must be addressable");
    }

    @Test
    void dependencyParsesAndPrints() {
        Dependency pinned = Dependency.parse("geth_block@LAYER1");
        assertThat(pinned).isEqualTo(Dependency.on("geth_block", Network.LAYER1));
        assertThat(pinned.toString()).isEqualTo("geth_block@layer1");
        assertThat(pinned.networkIn(Network.LAYER2)).isEqualTo(Network.LAYER1);
        Dependency own = Dependency.parse("geth_block");
        assertThat(own.network()).isEmpty();
        assertThat(own.networkIn(Network.LAYER2)).isEqualTo(Network.LAYER2);
        assertThatThrownBy(() -> Dependency.parse("geth_block@layer9"))
                .hasMessageContaining("geth_block@layer9").hasMessageContaining("layer1, layer2");
    }

    @Test
    void namesMustBeLowerCaseWordsOfBoundedLength() {
        assertThatThrownBy(() -> Register.oracle("Geth-Block", 9, Block.class).build())
                .hasMessageContaining("\"Geth-Block\"").hasMessageContaining("[a-z0-9_]+");
        assertThatThrownBy(() -> Register.oracle("a".repeat(29), 9, Block.class).build())
                .hasMessageContaining("at most 28");
    }

    @Test
    void idsAreOneTo127() {
        assertThatThrownBy(() -> Register.oracle("x", 0, Block.class).build())
                .hasMessageContaining("register x: id 0").hasMessageContaining("1..127");
        assertThatThrownBy(() -> Register.oracle("x", 128, Block.class).build())
                .hasMessageContaining("id 128");
    }

    @Test
    void shapeDependsOnComponentType() {
        assertThatThrownBy(() -> Register.oracle("o", 9, Block.class).dependsOn("a").build())
                .hasMessageContaining("an oracle has no dependencies");
        assertThatThrownBy(() -> Register.pipe("p", 9, Block.class).build())
                .hasMessageContaining("register p (pipe): a pipe needs at least one dependency");
        assertThatThrownBy(() -> Register.aggregator("g", 9, Block.class)
                        .dependsOn("a").triggeredBy("a").build())
                .hasMessageContaining("at least two dependencies");
        assertThatThrownBy(() -> Register.aggregator("g", 9, Block.class)
                        .dependsOn("a", "b").build())
                .hasMessageContaining("needs a sync policy");
        assertThatThrownBy(() -> Register.aggregator("g", 9, Block.class)
                        .dependsOn("a@layer1", "a@layer2").triggeredBy("b@layer1").build())
                .hasMessageContaining("trigger b@layer1 is not among its dependencies");
        assertThatThrownBy(() -> Register.aggregator("g", 9, Block.class)
                        .dependsOn("a@layer1", "b").triggeredBy("a").build())
                .hasMessageContaining("trigger a names no dependency of a pipeline on layer2");
        assertThatThrownBy(() -> Register.pipe("p", 9, Block.class)
                        .dependsOn("a").triggeredBy("a").build())
                .hasMessageContaining("only an aggregator has a sync policy");
        assertThatThrownBy(() -> Register.pipe("p", 9, Block.class).dependsOn("a", "a").build())
                .hasMessageContaining("dependency a is listed twice");
    }

    @Test
    void primaryDependencyIsTheTriggerOrTheFirstInput() {
        assertThat(TestRegisters.L1_L2_SYNC.primaryDependency(Network.LAYER1))
                .contains(Dependency.on("geth_block", Network.LAYER2));
        assertThat(Registers.EVENT_LOG.primaryDependency(Network.LAYER2)).contains(Dependency.on("geth_block"));
        assertThat(Registers.GETH_BLOCK.primaryDependency(Network.LAYER1)).isEqualTo(Optional.empty());
    }

    @Test
    void aTriggerWithoutANetworkIsTheDependencyOnThePipelinesOwnNetwork() {
        assertThat(Registers.L1_L2_BLOCK_SYNC.primaryDependency(Network.LAYER1))
                .contains(Dependency.on("geth_block", Network.LAYER1));
        assertThat(Registers.L1_L2_BLOCK_SYNC.primaryDependency(Network.LAYER2))
                .contains(Dependency.on("geth_block", Network.LAYER2));
    }
}
