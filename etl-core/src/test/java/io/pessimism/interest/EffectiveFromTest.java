package io.pessimism.interest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineType;
import java.util.List;
import org.junit.jupiter.api.Test;

class EffectiveFromTest {

    @Test
    void aLivePipelinesInterestIsEffectiveFromTheNextBlock() {
        assertThat(EffectiveFrom.of(spec(PipelineType.LIVE, 100L, null), 250)).isEqualTo(250);
    }

    @Test
    void aLivePipelinesInterestIsNeverEffectiveBeforeItsStart() {
        // a backfill still behind the head when the interest is accepted
        assertThat(EffectiveFrom.of(spec(PipelineType.LIVE, 300L, null), 250)).isEqualTo(300);
    }

    @Test
    void aLivePipelineWithoutAStartCountsFromBlockZero() {
        assertThat(EffectiveFrom.of(spec(PipelineType.LIVE, null, null), 0)).isZero();
        assertThat(EffectiveFrom.of(spec(PipelineType.LIVE, null, null), 42)).isEqualTo(42);
    }

    @Test
    void aBacktestsInterestIsEffectiveFromItsStartWhateverTheHead() {
        assertThat(EffectiveFrom.of(spec(PipelineType.BACKTEST, 10L, 20L), 250)).isEqualTo(10);
        assertThat(EffectiveFrom.of(spec(PipelineType.BACKTEST, 10L, 20L), 5)).isEqualTo(10);
    }

    @Test
    void anInterestAppliesFromItsFirstBlockOn() {
        AddressInterest interest = new AddressInterest("p", "0xa", "alice", List.of(), 7L);

        assertThat(EffectiveFrom.at(interest, 6)).isFalse();
        assertThat(EffectiveFrom.at(interest, 7)).isTrue();
        assertThat(EffectiveFrom.at(interest, 8)).isTrue();
    }

    private static PipelineSpec spec(PipelineType type, Long start, Long end) {
        return PipelineSpec.newBuilder()
                .setPuuid("p").setPid("pid").setPrefix("prefix").setNetwork("layer1").setType(type)
                .setRegister("event_log").setStartHeight(start).setEndHeight(end).setOwners(List.of("alice"))
                .setDesiredState(DesiredState.RUNNING).setCreatedAt(1L)
                .build();
    }
}
