package io.pessimism.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.balance.AccountBalanceDefinition;
import io.pessimism.oracle.geth.GethBlockDefinition;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registers;
import java.util.List;
import org.junit.jupiter.api.Test;

class OracleCatalogTest {

    private static final Register OTHER = Register.oracle("other_head", 9, Block.class).build();

    @Test
    void theStandardCatalogueRunsGethBlockAndAccountBalanceOnEveryEnabledNetwork() {
        OracleCatalog standard = OracleCatalog.standard();

        assertThat(standard.registers()).containsExactly(Registers.ACCOUNT_BALANCE, Registers.GETH_BLOCK);
        assertThat(standard.get("geth_block")).isInstanceOf(GethBlockDefinition.class);
        assertThat(standard.get("account_balance")).isInstanceOf(AccountBalanceDefinition.class);
        assertThat(standard.ids(List.of(Network.LAYER2, Network.LAYER1))).extracting(OracleId::label)
                .containsExactly("layer1.account_balance", "layer1.geth_block", "layer2.account_balance",
                        "layer2.geth_block");
        assertThat(standard.ids(List.of(Network.LAYER2))).containsExactly(
                new OracleId(Network.LAYER2, Registers.ACCOUNT_BALANCE), new OracleId(Network.LAYER2, Registers.GETH_BLOCK));
    }

    @Test
    void withAddsAnOracleRunOnEveryNetworkInIdOrder() {
        OracleCatalog catalog = OracleCatalog.standard().with(definition(OTHER));

        assertThat(catalog.registers()).containsExactly(Registers.ACCOUNT_BALANCE, Registers.GETH_BLOCK, OTHER);
        assertThat(catalog.ids(List.of(Network.LAYER1))).extracting(OracleId::label)
                .containsExactly("layer1.account_balance", "layer1.geth_block", "layer1.other_head");
        assertThat(OracleCatalog.standard().registers()).as("catalogues are immutable").hasSize(2);
    }

    @Test
    void anUnknownRegisterIsAnErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> OracleCatalog.standard().get("event_log"))
                .hasMessage("register event_log has no oracle in this catalogue; oracles: [account_balance, geth_block]");
    }

    @Test
    void aRegisterOrARegisterIdTwiceIsAnError() {
        assertThatThrownBy(() -> OracleCatalog.standard().with(new GethBlockDefinition()))
                .hasMessageStartingWith("register geth_block already has an oracle: ");
        Register sameId = Register.oracle("same_id", 2, Block.class).build();
        assertThatThrownBy(() -> OracleCatalog.standard().with(definition(sameId)))
                .hasMessage("register same_id has id 2, already the id of oracle register geth_block");
    }

    @Test
    void onlyAnOraclesRegisterHasAnOracle() {
        assertThatThrownBy(() -> OracleCatalog.standard().with(definition(Registers.EVENT_LOG)))
                .hasMessage("register event_log is a pipe, not an oracle");
    }

    @Test
    void anOracleIdIsLabelledLikeItsStatusKey() {
        assertThat(new OracleId(Network.LAYER2, Registers.GETH_BLOCK).label()).isEqualTo("layer2.geth_block");
    }

    private static OracleDefinition definition(Register register) {
        return new OracleDefinition() {
            @Override
            public Register register() {
                return register;
            }

            @Override
            public ReadRoutine readRoutine(OracleContext context) {
                throw new UnsupportedOperationException("not run here");
            }
        };
    }
}
