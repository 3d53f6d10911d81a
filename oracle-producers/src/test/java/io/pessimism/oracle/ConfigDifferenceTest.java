package io.pessimism.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDifferenceTest {

    private static final Map<String, String> DECLARED = Map.of(
            "retention.ms", "-1", "compression.type", "zstd", "cleanup.policy", "delete");

    @Test
    void listsEachDeclaredSettingTheBrokerHasOtherwiseOrNotAtAllInKeyOrder() {
        Map<String, String> broker = Map.of(
                "retention.ms", "1000", "cleanup.policy", "delete", "segment.bytes", "1073741824");

        assertThat(ConfigDifference.between("ns.layer1.geth_block", DECLARED, broker)).containsExactly(
                new ConfigDifference("ns.layer1.geth_block", "compression.type", null, "zstd"),
                new ConfigDifference("ns.layer1.geth_block", "retention.ms", "1000", "-1"));
    }

    @Test
    void noDifferenceWhenEveryDeclaredSettingMatchesWhateverElseTheBrokerReports() {
        Map<String, String> broker = Map.of("retention.ms", "-1", "compression.type", "zstd",
                "cleanup.policy", "delete", "segment.bytes", "1073741824");

        assertThat(ConfigDifference.between("t", DECLARED, broker)).isEmpty();
    }

    @Test
    void theMessageNamesTopicKeyActualAndExpected() {
        assertThat(new ConfigDifference("ns.layer1.geth_block", "retention.ms", "1000", "-1").message())
                .contains("ns.layer1.geth_block", "retention.ms=1000", "declared with retention.ms=-1");
        assertThat(new ConfigDifference("t", "compression.type", null, "zstd").message())
                .contains("compression.type=(not reported by the broker)", "compression.type=zstd");
    }
}
