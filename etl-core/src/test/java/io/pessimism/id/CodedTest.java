package io.pessimism.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.component.ComponentType;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import org.junit.jupiter.api.Test;

class CodedTest {

    @Test
    void idsAndLabelsAreTheSeeds() {
        assertThat(Network.LAYER1.id()).isEqualTo((byte) 1);
        assertThat(Network.LAYER2.label()).isEqualTo("layer2");
        assertThat(PipelineType.BACKTEST.id()).isEqualTo((byte) 1);
        assertThat(PipelineType.LIVE.id()).isEqualTo((byte) 2);
        assertThat(ComponentType.AGGREGATOR.id()).isEqualTo((byte) 3);
    }

    @Test
    void parseIgnoresCaseAndRoundTripsIds() {
        assertThat(Network.parse("LAYER2")).isEqualTo(Network.LAYER2);
        assertThat(PipelineType.parse(" Live ")).isEqualTo(PipelineType.LIVE);
        assertThat(ComponentType.parse("pipe")).isEqualTo(ComponentType.PIPE);
        for (Network network : Network.values()) {
            assertThat(Network.fromId(network.id())).isEqualTo(network);
        }
    }

    @Test
    void unknownLabelListsTheValidOnes() {
        assertThatThrownBy(() -> Network.parse("layer3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown network \"layer3\"; valid values: layer1, layer2");
        assertThatThrownBy(() -> PipelineType.parse(null))
                .hasMessageContaining("backtest, live");
        assertThatThrownBy(() -> ComponentType.fromId((byte) 9))
                .hasMessageContaining("unknown component type id 9")
                .hasMessageContaining("1=oracle, 2=pipe, 3=aggregator");
    }
}
