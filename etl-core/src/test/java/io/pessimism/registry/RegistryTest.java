package io.pessimism.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryTest {

    @Test
    void standardHoldsTheSeedsRegistersThenTheAddedOnesInIdOrder() {
        Registry registry = Registry.standard();
        assertThat(registry.names()).containsExactly("account_balance", "geth_block", "event_log", "l1_l2_block_sync",
                "contract_create_tx");
        assertThat(Registers.seed()).extracting(Register::name).containsExactly("account_balance", "geth_block",
                "event_log");
        assertThat(registry.get("event_log")).isSameAs(Registers.EVENT_LOG);
        assertThat(registry.get((byte) 2)).isSameAs(Registers.GETH_BLOCK);
        assertThat(registry.find("nope")).isEmpty();
    }

    @Test
    void unknownRegisterListsTheKnownOnes() {
        assertThatThrownBy(() -> Registry.standard().resolve("evnt_log", Network.LAYER1))
                .isInstanceOf(UnknownRegisterException.class)
                .hasMessage("unknown register \"evnt_log\"; known registers: "
                        + "account_balance, geth_block, event_log, l1_l2_block_sync, contract_create_tx");
    }

    @Test
    void duplicateNameIsRefused() {
        Registry registry = Registry.standard();
        Register again = Register.oracle("geth_block", 9, Block.class).build();
        assertThatThrownBy(() -> registry.register(again))
                .hasMessageContaining("name geth_block is already taken by geth_block(2, oracle)");
    }

    @Test
    void duplicateIdIsRefused() {
        Registry registry = Registry.standard();
        Register clash = Register.oracle("other_block", 2, Block.class).build();
        assertThatThrownBy(() -> registry.register(clash))
                .hasMessageContaining("register other_block(2, oracle): id 2 is already taken by "
                        + "geth_block(2, oracle)");
        assertThat(registry.find("other_block")).isEmpty();
    }

    @Test
    void unknownDependencyIsRefused() {
        Register pipe = Register.pipe("traces", 9, Block.class).dependsOn("geth_trace").build();
        assertThatThrownBy(() -> Registry.standard().register(pipe))
                .hasMessageContaining("register traces(9, pipe): dependency geth_trace is not a "
                        + "known register");
    }

    @Test
    void cycleIsRefusedNamingItsPath() {
        Register a = Register.pipe("a", 10, Block.class).dependsOn("b").build();
        Register b = Register.pipe("b", 11, Block.class).dependsOn("a").build();
        Registry registry = Registry.standard();
        assertThatThrownBy(() -> registry.registerAll(List.of(a, b)))
                .hasMessageContaining("dependency cycle between registers a, b: a -> b -> a");
        assertThat(registry.names()).doesNotContain("a", "b");
    }

    @Test
    void selfDependencyOnAnotherNetworkIsACycle() {
        Register self = Register.pipe("echo", 10, Block.class).dependsOn("echo@layer1").build();
        assertThatThrownBy(() -> Registry.standard().register(self))
                .hasMessageContaining("echo -> echo");
    }

    @Test
    void readingAddressableDataMakesARegisterAddressable() {
        Register pipe = Register.pipe("balance_delta", 9, Block.class)
                .dependsOn("account_balance").build();
        assertThatThrownBy(() -> Registry.standard().register(pipe))
                .hasMessageContaining("reads addressable account_balance(1, oracle)");
    }

    @Test
    void registersMayDependOnEachOtherWhenAddedTogether() {
        Registry registry = TestRegisters.registry();
        assertThat(registry.names()).endsWith("l1_l2_sync", "block_tag", "tag_join");
    }
}
