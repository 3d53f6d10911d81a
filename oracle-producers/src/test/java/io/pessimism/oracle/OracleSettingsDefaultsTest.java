package io.pessimism.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.config.NetworkSettings;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.network.Network;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One source of truth for every default: the declared settings ({@link Settings}). A builder or a
 * {@code main} that carried a default of its own (a reorg window of 128 where 64 is declared) would
 * run an oracle unlike the one the configuration documents.
 */
class OracleSettingsDefaultsTest {

    @ParameterizedTest
    @EnumSource(Network.class)
    void theBuilderStartsFromTheDeclaredDefaults(Network network) {
        OracleSettings built = OracleSettings.builder(network, rpcUrl(network), bootstrapServers()).build();

        assertDeclaredDefaults(built, network);
        assertThat(built).as("the builder with no overrides is the configuration at its defaults")
                .isEqualTo(OracleSettings.builder(PessimismConfig.defaults(Map.of()), network).build());
    }

    @ParameterizedTest
    @EnumSource(Network.class)
    void theStandaloneProcessFallsBackToTheDeclaredDefaults(Network network) {
        OracleArgs minimal = OracleArgs.parse("--bootstrap-servers", bootstrapServers(),
                "--registry-url", Settings.SCHEMA_REGISTRY_URL.declaredDefault(),
                "--namespace", Settings.NAMESPACE.declaredDefault(),
                "--network", network.label(), "--rpc-url", rpcUrl(network));

        OracleSettings settings = OracleMain.settings(minimal);

        assertDeclaredDefaults(settings, network);
        assertThat(settings).isEqualTo(OracleSettings.builder(PessimismConfig.defaults(Map.of()), network).build());
        OracleContext context = OracleMain.context(minimal, OracleCatalog.standard().get(minimal.register()));
        assertThat(context.topics().blocks(network).configs()).as("oracle.topic.retention.ms's default")
                .containsEntry("retention.ms", Settings.ORACLE_TOPIC_RETENTION_MS.declaredDefault().toString());
    }

    /** Every field against its declaration, or against the one constant of a field no setting declares. */
    private static void assertDeclaredDefaults(OracleSettings s, Network network) {
        NetworkSettings declared = Settings.network(network);
        assertThat(s.rpcUrl()).isEqualTo(declared.rpcUrl().declaredDefault());
        assertThat(s.wsUrl()).isEqualTo(declared.wsUrl().defaultValue()).isEqualTo(Optional.empty());
        assertThat(s.requestTimeout()).isEqualTo(declared.requestTimeout().declaredDefault());
        assertThat(s.pollInterval()).isEqualTo(declared.pollInterval().declaredDefault());
        assertThat(s.confirmations()).isEqualTo(declared.confirmations().declaredDefault());
        assertThat(s.batchSize()).isEqualTo(declared.batchSize().declaredDefault());
        assertThat(s.concurrency()).isEqualTo(declared.concurrency().declaredDefault());
        assertThat(s.reorgWindow()).isEqualTo(declared.reorgWindow().declaredDefault());
        assertThat(s.contractCreations()).isEqualTo(declared.contractCreations().declaredDefault());
        assertThat(s.bootstrapServers()).isEqualTo(Settings.KAFKA_BOOTSTRAP_SERVERS.declaredDefault());
        assertThat(s.replicationFactor()).isEqualTo(Settings.KAFKA_REPLICATION_FACTOR.declaredDefault());
        assertThat(s.startHeight()).isEqualTo(OracleSettings.GENESIS);
        assertThat(s.endHeight()).isEqualTo(OracleSettings.UNBOUNDED);
        assertThat(s.maxBlocksPerTransaction()).isEqualTo(OracleSettings.MAX_BLOCKS_PER_TRANSACTION);
        assertThat(s.maxTransactionTime()).isEqualTo(OracleSettings.MAX_TRANSACTION_TIME);
        assertThat(s.backoffInitial()).isEqualTo(OracleSettings.BACKOFF_INITIAL);
        assertThat(s.backoffMax()).isEqualTo(OracleSettings.BACKOFF_MAX);
        assertThat(s.nodeErrorBudget()).isEqualTo(Settings.ORACLES_NODE_ERROR_BUDGET.declaredDefault());
        assertThat(s.producerOverrides()).isEmpty();
        assertThat(s.network()).isEqualTo(network);
        assertThat(OracleSettings.class.getRecordComponents()).as("a new field needs its default checked here")
                .hasSize(20);
    }

    private static String rpcUrl(Network network) {
        return Settings.network(network).rpcUrl().declaredDefault();
    }

    private static String bootstrapServers() {
        return Settings.KAFKA_BOOTSTRAP_SERVERS.declaredDefault();
    }
}
