package io.pessimism.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the services log in to Kafka and to the Schema Registry: TLS and SASL settings that pass to
 * every Kafka client (Kafka Streams and the clients it makes, producers, consumers, admins) as the
 * Kafka key after {@code kafka.}, and the registry client's basic auth. One place, so no client can
 * be left connecting without them; {@link PessimismConfig#kafka()} is what every client starts from.
 */
public final class ClientSecuritySettings {

    /** Kafka's {@code security.protocol} values. */
    static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    public static final Setting<String> SECURITY_PROTOCOL = Setting.of("kafka.security.protocol",
            SettingType.STRING, "PLAINTEXT", Validator.oneOf(PROTOCOLS),
            "security.protocol of every Kafka client (SASL_SSL, SSL or SASL_PLAINTEXT to log in).");
    public static final Setting<String> SASL_MECHANISM = Setting.of("kafka.sasl.mechanism", SettingType.STRING,
            "PLAIN", Validator.notBlank(),
            "sasl.mechanism of every Kafka client with a SASL protocol: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, or"
                    + " another with kafka.sasl.jaas.config.");
    public static final Setting<String> SASL_USERNAME = Setting.optional("kafka.sasl.username", SettingType.STRING,
            Validator.notBlank(), "The user a SASL PLAIN or SCRAM login names (with kafka.sasl.password).");
    public static final Setting<String> SASL_PASSWORD = Setting.optional("kafka.sasl.password", SettingType.STRING,
            Validator.notBlank(), "The password of kafka.sasl.username.").asSecret();
    public static final Setting<String> SASL_JAAS_CONFIG = Setting.optional("kafka.sasl.jaas.config",
            SettingType.STRING, Validator.notBlank(),
            "sasl.jaas.config of every Kafka client, instead of kafka.sasl.username and kafka.sasl.password"
                    + " (any mechanism).").asSecret();
    public static final Setting<String> SSL_TRUSTSTORE_LOCATION = Setting.optional("kafka.ssl.truststore.location",
            SettingType.STRING, Validator.notBlank(),
            "ssl.truststore.location: the CA certificates the brokers' TLS certificates are checked against"
                    + " (the JVM's when unset).");
    public static final Setting<String> SSL_TRUSTSTORE_CERTIFICATES = Setting.optional(
            "kafka.ssl.truststore.certificates", SettingType.STRING, Validator.notBlank(),
            "ssl.truststore.certificates: the CA certificates themselves, PEM (with kafka.ssl.truststore.type=PEM),"
                    + " e.g. from Strimzi's <cluster>-cluster-ca-cert secret.");
    public static final Setting<String> SSL_TRUSTSTORE_PASSWORD = Setting.optional("kafka.ssl.truststore.password",
            SettingType.STRING, Validator.notBlank(), "ssl.truststore.password.").asSecret();
    public static final Setting<String> SSL_TRUSTSTORE_TYPE = Setting.optional("kafka.ssl.truststore.type",
            SettingType.STRING, Validator.oneOf(Set.of("JKS", "PKCS12", "PEM")), "ssl.truststore.type.");
    public static final Setting<String> SSL_KEYSTORE_LOCATION = Setting.optional("kafka.ssl.keystore.location",
            SettingType.STRING, Validator.notBlank(),
            "ssl.keystore.location: the client certificate and key for TLS client authentication (mTLS).");
    public static final Setting<String> SSL_KEYSTORE_PASSWORD = Setting.optional("kafka.ssl.keystore.password",
            SettingType.STRING, Validator.notBlank(), "ssl.keystore.password.").asSecret();
    public static final Setting<String> SSL_KEYSTORE_TYPE = Setting.optional("kafka.ssl.keystore.type",
            SettingType.STRING, Validator.oneOf(Set.of("JKS", "PKCS12", "PEM")), "ssl.keystore.type.");
    public static final Setting<String> SSL_KEY_PASSWORD = Setting.optional("kafka.ssl.key.password",
            SettingType.STRING, Validator.notBlank(), "ssl.key.password: of the key in the keystore.").asSecret();
    public static final Setting<String> REGISTRY_BASIC_AUTH = Setting.optional(
            "schema.registry.basic-auth.user-info", SettingType.STRING, Validator.userInfo(),
            "user:password the Schema Registry client sends as HTTP basic auth (Confluent's"
                    + " basic.auth.user.info).").asSecret();

    private static final List<Setting<String>> SSL = List.of(SSL_TRUSTSTORE_LOCATION, SSL_TRUSTSTORE_CERTIFICATES, SSL_TRUSTSTORE_PASSWORD,
            SSL_TRUSTSTORE_TYPE, SSL_KEYSTORE_LOCATION, SSL_KEYSTORE_PASSWORD, SSL_KEYSTORE_TYPE, SSL_KEY_PASSWORD);
    private static final List<Setting<String>> SASL = List.of(SASL_USERNAME, SASL_PASSWORD, SASL_JAAS_CONFIG);

    private ClientSecuritySettings() {
    }

    /** Every setting of this class, in the order the docs list them. */
    static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(List.of(SECURITY_PROTOCOL, SASL_MECHANISM));
        all.addAll(SASL);
        all.addAll(SSL);
        all.add(REGISTRY_BASIC_AUTH);
        return all;
    }

    /**
     * The Kafka client properties of these settings (empty for PLAINTEXT): {@code security.protocol},
     * SASL's mechanism and JAAS login, TLS stores. Assumes {@link #problems} found none.
     */
    static Map<String, String> kafkaProperties(PessimismConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        String protocol = config.get(SECURITY_PROTOCOL);
        if (protocol.equals("PLAINTEXT")) {
            return out;
        }
        out.put("security.protocol", protocol);
        if (protocol.startsWith("SASL_")) {
            String mechanism = config.get(SASL_MECHANISM);
            out.put("sasl.mechanism", mechanism);
            out.put("sasl.jaas.config", config.find(SASL_JAAS_CONFIG).orElseGet(() -> jaas(mechanism,
                    config.get(SASL_USERNAME), config.get(SASL_PASSWORD))));
        }
        for (Setting<String> ssl : SSL) {
            config.find(ssl).ifPresent(value -> out.put(kafkaKey(ssl), value));
        }
        return out;
    }

    /** Settings that only make sense together, each problem naming the keys. */
    static List<String> problems(PessimismConfig config) {
        List<String> problems = new ArrayList<>();
        String protocol = config.get(SECURITY_PROTOCOL);
        String where = " when " + SECURITY_PROTOCOL.name() + " is " + protocol + " (from "
                + config.source(SECURITY_PROTOCOL) + ")";
        if (protocol.startsWith("SASL_")) {
            boolean jaas = config.find(SASL_JAAS_CONFIG).isPresent();
            boolean user = config.find(SASL_USERNAME).isPresent();
            boolean password = config.find(SASL_PASSWORD).isPresent();
            if (jaas && (user || password)) {
                problems.add(SASL_JAAS_CONFIG.name() + ": set it or " + SASL_USERNAME.name() + " and "
                        + SASL_PASSWORD.name() + ", not both");
            } else if (!jaas && !(user && password)) {
                problems.add(SASL_USERNAME.name() + " and " + SASL_PASSWORD.name() + " (or "
                        + SASL_JAAS_CONFIG.name() + "): required" + where);
            } else if (!jaas && loginModule(config.get(SASL_MECHANISM)).isEmpty()) {
                problems.add(SASL_MECHANISM.name() + ": \"" + config.get(SASL_MECHANISM) + "\" (from "
                        + config.source(SASL_MECHANISM) + ") takes no username and password; set "
                        + SASL_JAAS_CONFIG.name() + " instead, or use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
            }
        } else {
            for (Setting<String> sasl : SASL) {
                config.find(sasl).ifPresent(v -> problems.add(sasl.name() + ": set, but no SASL login happens"
                        + where + "; use SASL_SSL or SASL_PLAINTEXT"));
            }
        }
        if (!protocol.endsWith("SSL")) {
            for (Setting<String> ssl : SSL) {
                config.find(ssl).ifPresent(v -> problems.add(ssl.name() + ": set, but no TLS is used" + where
                        + "; use SASL_SSL or SSL"));
            }
        }
        return problems;
    }

    /** {@code kafka.ssl.key.password} → {@code ssl.key.password}. */
    static String kafkaKey(Setting<?> setting) {
        return setting.name().substring("kafka.".length());
    }

    private static Optional<String> loginModule(String mechanism) {
        if (mechanism.equals("PLAIN")) {
            return Optional.of("org.apache.kafka.common.security.plain.PlainLoginModule");
        }
        if (mechanism.equals("SCRAM-SHA-256") || mechanism.equals("SCRAM-SHA-512")) {
            return Optional.of("org.apache.kafka.common.security.scram.ScramLoginModule");
        }
        return Optional.empty();
    }

    private static String jaas(String mechanism, String username, String password) {
        return loginModule(mechanism).orElseThrow() + " required username=\"" + quoted(username)
                + "\" password=\"" + quoted(password) + "\";";
    }

    // Kafka's JAAS parser reads a quoted value with backslash escapes.
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
