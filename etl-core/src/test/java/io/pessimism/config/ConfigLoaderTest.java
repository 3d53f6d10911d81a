package io.pessimism.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.network.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String TOKEN = "s3cret-token-0123456789";

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path file = dir.resolve("pessimism.properties");
        Files.writeString(file, content);
        return file;
    }

    private static PessimismConfig load(Path file, Map<String, String> env,
            Map<String, String> overrides) {
        return PessimismConfig.load(Optional.ofNullable(file), env, overrides);
    }

    @Test
    void defaultsAreTypedAndComplete() {
        PessimismConfig config = PessimismConfig.defaults(Map.of());
        assertThat(config.namespace()).isEqualTo("pessimism");
        assertThat(config.kafkaBootstrapServers()).isEqualTo("localhost:9092");
        assertThat(config.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(config.api()).isEqualTo(
                new ApiConfig("127.0.0.1", 8080, Optional.empty(), 1_048_576, 50, 100));
        assertThat(config.oracleTopicRetentionMs()).isEqualTo(-1L);
        assertThat(config.network(Network.LAYER2)).isEqualTo(new NetworkConfig(Network.LAYER2,
                true, "http://127.0.0.1:9545", Optional.empty(), Duration.ofSeconds(1),
                Duration.ofSeconds(30), 0, 100, 4, 64, ContractCreations.RECEIPTS));
        assertThat(config.topicNames().pipelines()).isEqualTo("pessimism.pipelines");
        assertThat(config.source(Settings.NAMESPACE)).isEqualTo(ConfigSource.DEFAULT);
    }

    @Test
    void fileIsOverriddenByEnvironmentWhichIsOverriddenByOverrides() throws IOException {
        Path file = file("""
                namespace=from-file
                kafka.bootstrap.servers=file:9092
                networks.layer1.confirmations=3
                networks.layer1.poll-interval=500ms
                """);
        Map<String, String> env = Map.of(
                "PESSIMISM_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "PESSIMISM_NETWORKS_LAYER1_CONFIRMATIONS", "5");
        Map<String, String> overrides = Map.of("networks.layer1.confirmations", "7");

        PessimismConfig config = load(file, env, overrides);

        assertThat(config.namespace()).isEqualTo("from-file");
        assertThat(config.source(Settings.NAMESPACE)).hasToString("file " + file);
        assertThat(config.kafkaBootstrapServers()).isEqualTo("env:9092");
        assertThat(config.source(Settings.KAFKA_BOOTSTRAP_SERVERS))
                .hasToString("env PESSIMISM_KAFKA_BOOTSTRAP_SERVERS");
        NetworkConfig layer1 = config.network(Network.LAYER1);
        assertThat(layer1.confirmations()).isEqualTo(7);
        assertThat(layer1.pollInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.topicNames().namespace()).isEqualTo("from-file");
    }

    @Test
    void blankValueFallsBackToTheLowerSource() throws IOException {
        Path file = file("api.port=9000\n");
        PessimismConfig config = load(file, Map.of("PESSIMISM_API_PORT", " "), Map.of());
        assertThat(config.api().port()).isEqualTo(9000);
    }

    @Test
    void wrongValueNamesKeySourceAndRule() {
        assertThatThrownBy(() -> load(null,
                        Map.of("PESSIMISM_NETWORKS_LAYER1_CONFIRMATIONS", "-1"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("networks.layer1.confirmations: \"-1\" (from env "
                        + "PESSIMISM_NETWORKS_LAYER1_CONFIRMATIONS) must be >= 0");
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path file = file("api.port=eighty\n");
        ConfigException error = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> load(file, Map.of(), Map.of(
                        "networks.layer2.poll-interval", "soon",
                        "namespace", "pessimism.prod",
                        "networks.layer2.rpc-url", "ftp://node")));
        assertThat(error.problems()).containsExactlyInAnyOrder(
                "namespace: \"pessimism.prod\" (from override) must match [a-zA-Z0-9_-]+ with "
                        + "at most 32 characters",
                "api.port: \"eighty\" (from file " + file + ") is not a whole number in range "
                        + "(a int)",
                "networks.layer2.rpc-url: \"ftp://node\" (from override) must be a http or https"
                        + " URL with a host",
                "networks.layer2.poll-interval: \"soon\" (from override) is not a duration such as"
                        + " 500ms, 1s, 2m, 1h or PT1.5S (a duration)");
    }

    @Test
    void unknownKeyInTheFileIsRefusedWithASuggestion() throws IOException {
        Path file = file("kafka.bootstrap.server=broker:9092\n");
        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .hasMessageContaining("unknown key \"kafka.bootstrap.server\" (from file " + file
                        + "); did you mean kafka.bootstrap.servers?");
    }

    @Test
    void unknownOverrideIsRefused() {
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("networks.layer3.enabled", "x")))
                .hasMessageContaining("unknown key \"networks.layer3.enabled\" (from override)");
    }

    @Test
    void unknownEnvironmentVariablesAreIgnored() {
        PessimismConfig config = load(null,
                Map.of("PESSIMISM_JAVA_OPTS", "-Xmx1g", "PESSIMISM_NAMSPACE", "x", "PATH", "/bin"),
                Map.of());
        assertThat(config.namespace()).isEqualTo("pessimism");
    }

    @Test
    void secretsAreMaskedInDescribeAndErrors() {
        PessimismConfig config = PessimismConfig.defaults(Map.of("api.token", TOKEN));
        assertThat(config.api().token()).contains(TOKEN);
        assertThat(config.describe())
                .contains("api.token = **** (override)")
                .contains("namespace = pessimism (default)")
                .contains("networks.layer1.ws-url = <unset> (default)")
                .doesNotContain(TOKEN);
        assertThat(config.toString()).doesNotContain(TOKEN);
        assertThat(config.api().toString()).doesNotContain(TOKEN);

        assertThatThrownBy(() -> load(null, Map.of("PESSIMISM_API_TOKEN", "short"), Map.of()))
                .hasMessageContaining("api.token: \"****\" (from env PESSIMISM_API_TOKEN) must be "
                        + "at least 16 characters")
                .hasMessageNotContaining("short");
    }

    @Test
    void tokenIsRequiredWhenTheApiIsNotOnLoopback() {
        assertThatThrownBy(() -> load(null, Map.of("PESSIMISM_API_HOST", "0.0.0.0"), Map.of()))
                .hasMessageContaining("api.token: required when api.host \"0.0.0.0\" (from env "
                        + "PESSIMISM_API_HOST) is not a loopback address");
        PessimismConfig withToken = load(null, Map.of("PESSIMISM_API_HOST", "0.0.0.0",
                "PESSIMISM_API_TOKEN", TOKEN), Map.of());
        assertThat(withToken.api().host()).isEqualTo("0.0.0.0");
        assertThat(PessimismConfig.defaults(Map.of("api.host", "localhost")).api().token())
                .isEmpty();
    }

    @Test
    void atLeastOneNetworkIsEnabled() {
        PessimismConfig onlyL2 = PessimismConfig.defaults(Map.of("networks.layer1.enabled",
                "false"));
        assertThat(onlyL2.enabledNetworks()).containsExactly(Network.LAYER2);
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of(
                        "networks.layer1.enabled", "false", "networks.layer2.enabled", "FALSE")))
                .hasMessageContaining("at least one network must be enabled");
    }

    @Test
    void unreadableFileIsNamed() {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(() -> load(missing, Map.of(), Map.of()))
                .hasMessageContaining("config file " + missing + ": cannot be read");
    }

    @Test
    void everyKeyHasItsOwnEnvironmentVariable() {
        assertThat(Settings.KAFKA_BOOTSTRAP_SERVERS.envVar())
                .isEqualTo("PESSIMISM_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(Settings.network(Network.LAYER1).rpcUrl().envVar())
                .isEqualTo("PESSIMISM_NETWORKS_LAYER1_RPC_URL");
        assertThat(Settings.all().stream().map(Setting::envVar).distinct())
                .hasSameSizeAs(Settings.all());
    }
}
