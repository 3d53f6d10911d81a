package io.pessimism.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Where Kafka is and how to log in to it: the properties every Kafka client of pessimism starts
 * from (Kafka Streams passes them on to the clients it makes). {@link PessimismConfig#kafka()} gives
 * the configured one; {@link #toString()} masks passwords and JAAS logins, so it may be logged.
 *
 * @param bootstrapServers {@code bootstrap.servers}
 * @param security         client properties of TLS and SASL ({@code security.protocol}, {@code sasl.*},
 *                         {@code ssl.*}); empty for PLAINTEXT
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> security) {

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is blank");
        }
        security = Map.copyOf(security);
        if (security.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("security properties must not set bootstrap.servers");
        }
    }

    /** No TLS, no login: a dev or test broker. */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(bootstrapServers, Map.of());
    }

    /** A new mutable map of {@code bootstrap.servers} and the security properties, for a client to add its own. */
    public Map<String, Object> properties() {
        Map<String, Object> props = new HashMap<>(security);
        props.put("bootstrap.servers", bootstrapServers);
        return props;
    }

    /** {@link #properties()} as {@link Properties}. */
    public Properties asProperties() {
        Properties props = new Properties();
        props.putAll(properties());
        return props;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        security.forEach((key, value) -> shown.put(key, secret(key) ? "****" : value));
        return "KafkaConnection[" + bootstrapServers + (shown.isEmpty() ? "" : ", " + shown) + "]";
    }

    private static boolean secret(String key) {
        return key.contains("password") || key.contains("jaas");
    }
}
