package io.pessimism.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import io.pessimism.registry.TestRegisters;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The seed's reference cases for PIDs, plus parsing and the aggregator's trigger source. */
class PidTest {

    private final Registry registry = TestRegisters.registry();

    @Test
    void componentPidOfABacktestBalanceOracle() {
        ComponentPID pid = new ComponentPID(Network.LAYER1, PipelineType.BACKTEST,
                Registers.ACCOUNT_BALANCE);
        assertThat(pid.bytes()).containsExactly(1, 1, 1, 1);
        assertThat(pid).hasToString("layer1:backtest:oracle:account_balance");
        assertThat(ComponentPID.parse(pid.toString(), registry)).isEqualTo(pid);
        assertThat(ComponentPID.fromBytes(pid.bytes(), registry)).isEqualTo(pid);
    }

    @Test
    void pipelinePidOfABacktestBalancePipelineHasTheOracleTwice() {
        PipelinePID pid = PipelinePID.of(PipelineType.BACKTEST,
                registry.resolve("account_balance", Network.LAYER1));
        assertThat(pid).hasToString("backtest::layer1:backtest:oracle:account_balance"
                + "::layer1:backtest:oracle:account_balance");
        assertThat(pid.bytes()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(pid.singleComponent()).isTrue();
    }

    @Test
    void pipelinePidsOfLiveOraclePipelinesHaveTheOracleTwice() {
        PipelinePID balances = PipelinePID.of(PipelineType.LIVE,
                registry.resolve("account_balance", Network.LAYER1));
        assertThat(balances).hasToString("live::layer1:live:oracle:account_balance"
                + "::layer1:live:oracle:account_balance");
        assertThat(balances.bytes()).containsExactly(2, 1, 2, 1, 1, 1, 2, 1, 1);
        assertThat(PipelinePID.parse(balances.toString(), registry)).isEqualTo(balances);
        assertThat(balances.register()).isSameAs(Registers.ACCOUNT_BALANCE);

        PipelinePID blocks = PipelinePID.of(PipelineType.LIVE,
                registry.resolve("geth_block", Network.LAYER1));
        assertThat(blocks).hasToString("live::layer1:live:oracle:geth_block"
                + "::layer1:live:oracle:geth_block");
        assertThat(blocks.bytes()).containsExactly(2, 1, 2, 1, 2, 1, 2, 1, 2);
        assertThat(blocks.singleComponent()).isTrue();
        assertThat(PipelinePID.fromBytes(blocks.bytes(), registry)).isEqualTo(blocks);
    }

    @Test
    void pipelinePidOfALiveEventLogPipeline() {
        PipelinePID pid = PipelinePID.of(PipelineType.LIVE,
                registry.resolve("event_log", Network.LAYER1));
        assertThat(pid.bytes()).containsExactly(2, 1, 2, 2, 3, 1, 2, 1, 2);
        assertThat(pid).hasToString(
                "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block");
        assertThat(PipelinePID.parse(pid.toString(), registry)).isEqualTo(pid);
        assertThat(PipelinePID.fromBytes(pid.bytes(), registry)).isEqualTo(pid);
        assertThat(pid.register()).isSameAs(Registers.EVENT_LOG);
    }

    @Test
    void aggregatorPidNamesItsTriggerSource() {
        PipelinePID pid = PipelinePID.of(PipelineType.LIVE,
                registry.resolve("l1_l2_sync", Network.LAYER1));
        assertThat(pid).hasToString(
                "live::layer1:live:aggregator:l1_l2_sync::layer2:live:oracle:geth_block");
        assertThat(pid.bytes()).containsExactly(2, 1, 2, 3, 40, 2, 2, 1, 2);
    }

    @Test
    void pidsDifferByNetworkAndType() {
        PipelinePID live1 = PipelinePID.of(PipelineType.LIVE,
                registry.resolve("event_log", Network.LAYER1));
        PipelinePID live2 = PipelinePID.of(PipelineType.LIVE,
                registry.resolve("event_log", Network.LAYER2));
        PipelinePID backtest1 = PipelinePID.of(PipelineType.BACKTEST,
                registry.resolve("event_log", Network.LAYER1));
        assertThat(live1).isNotEqualTo(live2).isNotEqualTo(backtest1);
        assertThat(live1).isEqualTo(PipelinePID.parse(live1.toString(), registry));
    }

    @Test
    void uuidsRenderInFullAndParseBack() {
        PipelinePID pid = PipelinePID.parse(
                "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block", registry);
        UUID uuid = UUID.fromString("0f8e2a6c-1b3d-4e5f-9a7b-c8d9e0f1a2b3");
        PUUID puuid = new PUUID(pid, uuid);
        assertThat(puuid).hasToString("live::layer1:live:pipe:event_log"
                + "::layer1:live:oracle:geth_block:::0f8e2a6c-1b3d-4e5f-9a7b-c8d9e0f1a2b3");
        assertThat(PUUID.parse(puuid.toString(), registry)).isEqualTo(puuid);
        assertThat(puuid.uuidHex()).isEqualTo("0f8e2a6c1b3d4e5f9a7bc8d9e0f1a2b3");

        CUUID cuuid = new CUUID(pid.source(), uuid);
        assertThat(cuuid).hasToString(
                "layer1:live:oracle:geth_block::0f8e2a6c-1b3d-4e5f-9a7b-c8d9e0f1a2b3");
        assertThat(CUUID.parse(cuuid.toString(), registry)).isEqualTo(cuuid);
    }

    @Test
    void malformedIdsAreRefusedNamingTheText() {
        assertThatThrownBy(() -> ComponentPID.parse("layer1:live:oracle", registry))
                .hasMessageContaining("\"layer1:live:oracle\" is not "
                        + "network:pipelineType:componentType:register");
        assertThatThrownBy(() -> ComponentPID.parse("layer1:live:pipe:geth_block", registry))
                .hasMessageContaining("register geth_block has component type oracle, not pipe");
        assertThatThrownBy(() -> ComponentPID.parse("layer1:live:pipe:evnt_log", registry))
                .hasMessageContaining("unknown register \"evnt_log\"");
        assertThatThrownBy(() -> PipelinePID.parse(
                        "live::layer1:live:pipe:event_log::layer1:live:pipe:event_log", registry))
                .hasMessageContaining("is not an oracle");
        assertThatThrownBy(() -> PipelinePID.parse(
                        "live::layer1:backtest:pipe:event_log::layer1:live:oracle:geth_block",
                        registry))
                .hasMessageContaining("must have the same pipeline type");
        assertThatThrownBy(() -> PUUID.parse("live::layer1:live:pipe:event_log"
                        + "::layer1:live:oracle:geth_block:::0F8E2A6C-1b3d-4e5f-9a7b-c8d9e0f1a2b3",
                        registry))
                .hasMessageContaining("not a canonical lower-case UUID");
        assertThatThrownBy(() -> PipelinePID.fromBytes(new byte[] {2, 1}, registry))
                .hasMessageContaining("needs 9 bytes, got [2, 1]");
    }
}
