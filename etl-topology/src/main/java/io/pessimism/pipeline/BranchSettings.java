package io.pessimism.pipeline;

import io.pessimism.config.KafkaConnection;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the runtime runs branches: where Kafka and local state are, and the knobs every branch
 * shares. {@link #from(PessimismConfig)} gives the production values.
 *
 * @param kafka             the brokers and how to log in
 * @param stateDir          Kafka Streams' {@code state.dir}; each branch has {@code <stateDir>/<prefix>}
 * @param replicationFactor of the topics the runtime creates (and of internal topics)
 * @param commitInterval    Kafka Streams' {@code commit.interval.ms}: at most 100 ms (DESIGN.md §4)
 * @param recordCacheBytes  {@code statestore.cache.max.bytes} of each branch
 * @param rocksDbCacheBytes the one RocksDB block cache and write-buffer budget shared by every
 *                          branch of the JVM ({@link BoundedRocksDb})
 * @param statusInterval    how often, at most, a progressing branch's status is written
 * @param overrides         extra Kafka Streams / client properties, applied last
 */
public record BranchSettings(KafkaConnection kafka, Path stateDir, short replicationFactor,
                             Duration commitInterval, long recordCacheBytes, long rocksDbCacheBytes,
                             Duration statusInterval, Map<String, Object> overrides) {

    /** DESIGN.md §4: a branch commits at least every 100 ms. */
    public static final Duration MAX_COMMIT_INTERVAL = Duration.ofMillis(100);

    public BranchSettings {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(stateDir, "stateDir");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, was " + replicationFactor);
        }
        if (commitInterval.isNegative() || commitInterval.compareTo(MAX_COMMIT_INTERVAL) > 0) {
            throw new IllegalArgumentException("commitInterval must be in 0..100 ms, was " + commitInterval);
        }
        if (recordCacheBytes < 0 || rocksDbCacheBytes < 1) {
            throw new IllegalArgumentException("cache sizes must be positive: record cache " + recordCacheBytes
                    + ", RocksDB cache " + rocksDbCacheBytes);
        }
        Objects.requireNonNull(statusInterval, "statusInterval");
        overrides = Map.copyOf(overrides);
    }

    /**
     * The production settings of a configuration: its commit interval ({@code pipelines.commit-interval},
     * 100 ms by default), 1 MiB record cache per branch, 64 MiB RocksDB, its standby replicas
     * ({@code pipelines.standby-replicas}) and its group session ({@code pipelines.session-timeout}: how
     * long a dead instance's tasks wait before moving).
     */
    public static BranchSettings from(PessimismConfig config) {
        Map<String, Object> overrides = new HashMap<>(
                mainConsumer(config.pipelineSession().consumerProperties()));
        overrides.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.get(Settings.PIPELINES_STANDBY_REPLICAS));
        return new BranchSettings(config.kafka(), config.stateDir(), config.kafkaReplicationFactor(),
                config.get(Settings.PIPELINES_COMMIT_INTERVAL), 1024 * 1024, 64L * 1024 * 1024, Duration.ofSeconds(1),
                overrides);
    }

    /** {@code properties} for a Kafka Streams app's main consumer only: the one in the group. */
    public static Map<String, Object> mainConsumer(Map<String, Object> properties) {
        Map<String, Object> prefixed = new HashMap<>();
        properties.forEach((key, value) -> prefixed.put(StreamsConfig.mainConsumerPrefix(key), value));
        return prefixed;
    }

    /**
     * This runtime's identity in each branch's consumer group (static membership): the host name
     * and a digest of the state directory, which no two running instances share, so it is unique
     * per instance and stable across restarts on the same state directory.
     */
    public String instanceId() {
        return instanceId(stateDir);
    }

    /** The {@link #instanceId()} of the runtime whose state directory is {@code stateDir}. */
    public static String instanceId(Path stateDir) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        String dir = stateDir.toAbsolutePath().normalize().toString();
        return host.replaceAll("[^a-zA-Z0-9._-]", "_") + "-" + Integer.toHexString(dir.hashCode());
    }

    /** These settings with more client properties (tests: faster timeouts; operators: tuning). */
    public BranchSettings withOverrides(Map<String, Object> more) {
        var all = new HashMap<String, Object>(overrides);
        all.putAll(more);
        return new BranchSettings(kafka, stateDir, replicationFactor, commitInterval, recordCacheBytes,
                rocksDbCacheBytes, statusInterval, all);
    }
}
