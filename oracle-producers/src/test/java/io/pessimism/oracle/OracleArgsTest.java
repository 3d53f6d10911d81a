package io.pessimism.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.config.ContractCreations;
import io.pessimism.network.Network;
import io.pessimism.oracle.geth.GethBlockOracle;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OracleArgsTest {

    private static final String[] REQUIRED = {"--bootstrap-servers", "localhost:9092", "--registry-url",
        "http://localhost:8081", "--namespace", "pessimism",
        "--network", "layer2", "--rpc-url", "http://localhost:8545"};

    @Test
    void buildsTheOracleSettingsFromTheCommandLine() {
        String[] args = concat(REQUIRED, "--batch-size", "50", "--confirmations", "3", "--poll-interval-ms", "250",
                "--contract-creations", "traces");
        OracleSettings settings = OracleMain.settings(OracleArgs.parse(args));
        assertThat(settings.network()).isEqualTo(Network.LAYER2);
        assertThat(settings.batchSize()).isEqualTo(50);
        assertThat(settings.confirmations()).isEqualTo(3);
        assertThat(settings.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.bounded()).isFalse();
        assertThat(settings.contractCreations()).isEqualTo(ContractCreations.TRACES);
        try (ReadRoutine oracle = OracleMain.oracle(OracleArgs.parse(args))) {
            assertThat(oracle).isInstanceOf(GethBlockOracle.class);
            assertThat(((GethBlockOracle) oracle).topic().name()).isEqualTo("pessimism.layer2.geth_block");
            assertThat(((GethBlockOracle) oracle).topic().partitions()).isEqualTo(1);
        }
    }

    @Test
    void badArgumentsAreErrorsNamingTheFlag() {
        assertThatThrownBy(() -> OracleArgs.parse("--namespace", "x")).hasMessage("--bootstrap-servers is required");
        assertThatThrownBy(() -> OracleArgs.parse(concat(REQUIRED, "--batch"))).hasMessageContaining("unknown argument '--batch'");
        assertThatThrownBy(() -> OracleArgs.parse(concat(REQUIRED, "--concurrency"))).hasMessage("--concurrency needs a value");
        assertThatThrownBy(() -> OracleMain.settings(OracleArgs.parse(concat(REQUIRED, "--batch-size", "many"))))
                .hasMessage("--batch-size must be a whole number, got 'many'");
        assertThatThrownBy(() -> OracleMain.settings(OracleArgs.parse(concat(REQUIRED, "--batch-size", "0"))))
                .hasMessage("batchSize must be at least 1, got 0");
        assertThatThrownBy(() -> OracleMain.settings(OracleArgs.parse(concat(REQUIRED, "--contract-creations", "all"))))
                .hasMessage("--contract-creations all is not one of off, receipts, traces");
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
