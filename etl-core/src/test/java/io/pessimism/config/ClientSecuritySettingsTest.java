package io.pessimism.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The TLS/SASL settings become the properties every Kafka client starts from, and never show their secrets. */
class ClientSecuritySettingsTest {

    private static final String PASSWORD = "pa\"ss\\word-0123";

    private static PessimismConfig env(Map<String, String> env) {
        return PessimismConfig.load(Optional.empty(), env, Map.of());
    }

    @Test
    void plaintextByDefaultGivesOnlyTheBootstrapServers() {
        KafkaConnection kafka = PessimismConfig.defaults(Map.of()).kafka();
        assertThat(kafka.security()).isEmpty();
        assertThat(kafka.properties()).containsExactly(Map.entry("bootstrap.servers", "localhost:9092"));
    }

    @Test
    void usernameAndPasswordBecomeTheMechanismsJaasLoginWithQuotesEscaped() {
        PessimismConfig config = env(Map.of("PESSIMISM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "PESSIMISM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "PESSIMISM_KAFKA_SASL_USERNAME", "etl",
                "PESSIMISM_KAFKA_SASL_PASSWORD", PASSWORD,
                "PESSIMISM_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "PESSIMISM_KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12",
                "PESSIMISM_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit"));
        assertThat(config.kafka().properties()).containsOnly(
                Map.entry("bootstrap.servers", "localhost:9092"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"etl\" password=\"pa\\\"ss\\\\word-0123\";"),
                Map.entry("ssl.truststore.location", "/etc/kafka/ca.p12"),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("ssl.truststore.password", "changeit"));
        assertThat(config.kafka().toString()).contains("SCRAM-SHA-512", "/etc/kafka/ca.p12")
                .doesNotContain("pa\"ss", "changeit", "etl\"");
        assertThat(config.describe()).contains("kafka.sasl.username = etl", "kafka.sasl.password = ****",
                "kafka.ssl.truststore.password = ****").doesNotContain("pa\"ss", "changeit");
    }

    @Test
    void anExplicitJaasLoginIsPassedAsItIs() {
        String jaas = "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;";
        PessimismConfig config = PessimismConfig.defaults(Map.of("kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "OAUTHBEARER", "kafka.sasl.jaas.config", jaas));
        assertThat(config.kafka().security()).containsEntry("sasl.jaas.config", jaas)
                .containsEntry("sasl.mechanism", "OAUTHBEARER");
        assertThat(config.describe()).contains("kafka.sasl.jaas.config = ****").doesNotContain("OAuthBearerLoginModule");
    }

    @Test
    void missingOrContradictorySettingsStopTheStartNamingTheKeysWithoutTheirSecrets() {
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("kafka.security.protocol", "SASL_SSL")))
                .hasMessageContaining("kafka.sasl.username and kafka.sasl.password (or kafka.sasl.jaas.config):"
                        + " required when kafka.security.protocol is SASL_SSL");
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("kafka.sasl.password", PASSWORD)))
                .hasMessageContaining("kafka.sasl.password: set, but no SASL login happens when"
                        + " kafka.security.protocol is PLAINTEXT")
                .message().doesNotContain(PASSWORD);
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "GSSAPI", "kafka.sasl.username", "u", "kafka.sasl.password", "p")))
                .hasMessageContaining("kafka.sasl.mechanism: \"GSSAPI\"")
                .hasMessageContaining("set kafka.sasl.jaas.config instead");
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.ssl.truststore.location", "/ca.jks", "kafka.sasl.username", "u", "kafka.sasl.password", "p")))
                .hasMessageContaining("kafka.ssl.truststore.location: set, but no TLS is used");
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("kafka.security.protocol", "TLS")))
                .hasMessageContaining("kafka.security.protocol: \"TLS\"")
                .hasMessageContaining("must be one of PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL");
    }

    @Test
    void theRegistrysBasicAuthIsASecretUserAndPassword() {
        PessimismConfig config = PessimismConfig.defaults(Map.of("schema.registry.basic-auth.user-info",
                "registry-user:" + PASSWORD));
        assertThat(config.schemaRegistryUserInfo()).contains("registry-user:" + PASSWORD);
        assertThat(config.describe()).contains("schema.registry.basic-auth.user-info = ****")
                .doesNotContain(PASSWORD);
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("schema.registry.basic-auth.user-info",
                "no-colon-secret"))).hasMessageContaining("must be user:password")
                .message().doesNotContain("no-colon-secret");
    }
}
