package io.pessimism.config;

import io.pessimism.network.Network;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of pessimism, declared once. The docs table is generated from this list. */
public final class Settings {

    public static final Setting<String> NAMESPACE = Setting.of("namespace", SettingType.STRING,
            "pessimism", Validator.namespace(),
            "First part of every topic name; separates deployments sharing a cluster.");
    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.of(
            "kafka.bootstrap.servers", SettingType.STRING, "localhost:9092",
            Validator.hostPorts(), "Kafka brokers to connect to.");
    public static final Setting<Short> KAFKA_REPLICATION_FACTOR = Setting.of(
            "kafka.replication.factor", SettingType.SHORT, (short) 1,
            Validator.between(1, Short.MAX_VALUE),
            "Replication factor of the topics pessimism creates.");
    public static final Setting<Duration> KAFKA_START_TIMEOUT = Setting.of(
            "kafka.start-timeout", SettingType.DURATION, Duration.ofSeconds(30),
            Validator.atLeast(Duration.ofMillis(100)),
            "How long a service waits at start for the brokers to answer before it fails naming them.");
    public static final Setting<String> SCHEMA_REGISTRY_URL = Setting.of("schema.registry.url",
            SettingType.STRING, "http://127.0.0.1:8081", Validator.url("http", "https"),
            "Confluent-compatible Schema Registry.");
    public static final Setting<String> API_HOST = Setting.of("api.host", SettingType.STRING,
            "127.0.0.1", Validator.notBlank(),
            "Address the REST API binds to; a non-loopback address requires api.token.");
    public static final Setting<Integer> API_PORT = Setting.of("api.port", SettingType.INT, 8080,
            Validator.between(0, 65_535), "Port of the REST API (0: any free port).");
    public static final Setting<String> API_TOKEN = Setting.optional("api.token",
            SettingType.STRING, Validator.minLength(16),
            "Bearer token the REST API requires; required when api.host is not loopback.")
            .asSecret();
    public static final Setting<Integer> API_MAX_REQUEST_BYTES = Setting.of(
            "api.max-request-bytes", SettingType.INT, 1_048_576,
            Validator.between(1_024, 64 * 1_048_576), "Largest request body the REST API reads.");
    public static final Setting<Integer> API_RATE_LIMIT = Setting.of("api.rate-limit", SettingType.INT, 50,
            Validator.between(0, 1_000_000),
            "Requests a second each client (by address) may make to /v1/* and /metrics on average; more are refused"
                    + " (429 with Retry-After). 0: no limit.");
    public static final Setting<Integer> API_RATE_BURST = Setting.of("api.rate-burst", SettingType.INT, 100,
            Validator.between(1, 1_000_000), "Requests a client may make at once before api.rate-limit applies.");
    public static final Setting<String> ORACLES_HTTP_HOST = Setting.of("oracles.http.host", SettingType.STRING,
            "127.0.0.1", Validator.notBlank(),
            "Address `pessimism oracles` serves /health, /ready and /metrics on (0.0.0.0 in a container).");
    public static final Setting<Integer> ORACLES_HTTP_PORT = Setting.of("oracles.http.port", SettingType.INT, 8090,
            Validator.between(0, 65_535), "Port of the oracle service's /health, /ready and /metrics (0: any free port).");
    public static final Setting<Duration> ORACLES_NODE_ERROR_BUDGET = Setting.of("oracles.node-error-budget",
            SettingType.DURATION, Duration.ofSeconds(30), Validator.atLeast(Duration.ofMillis(100)),
            "How long an oracle's node may fail every call (each retried after a backoff) before the oracle reports"
                    + " NODE_FAILING and the pipelines it feeds show ERROR naming the node; they return to their"
                    + " state by themselves once the node answers again. Noticed at the first failure after it.");
    public static final Setting<Duration> ORACLES_LEASE_TIMEOUT = Setting.of(
            "oracles.lease-timeout", SettingType.DURATION, Duration.ofSeconds(10),
            Validator.atLeast(Duration.ofSeconds(1)),
            "How long the oracles of an oracle process that died keep running nowhere before another process takes"
                    + " them over (session.timeout.ms of the lease group <ns>.oracles). Within the brokers'"
                    + " group.min.session.timeout.ms and group.max.session.timeout.ms (6 s to 30 min by default).");
    public static final Setting<LogFormat> LOG_FORMAT = Setting.of("log.format", SettingType.LOG_FORMAT,
            LogFormat.TEXT, Validator.any(),
            "Log lines on stderr: text, or json (one object per line, the pipeline or oracle under mdc). "
                    + "Set as PESSIMISM_LOG_FORMAT it applies from the first line.");
    public static final Setting<Path> STATE_DIR = Setting.of("state.dir", SettingType.PATH,
            Path.of("pessimism-state"), Validator.any(),
            "Directory of Kafka Streams' local state (relative to the working directory).");
    public static final Setting<Long> ORACLE_TOPIC_RETENTION_MS = Setting.of(
            "oracle.topic.retention.ms", SettingType.LONG, -1L, Validator.retention(),
            "retention.ms of oracle topics; -1 keeps history forever for backtests.");
    public static final Setting<Integer> PIPELINES_MAX_ACTIVE = Setting.of(
            "pipelines.max-active", SettingType.INT, 100, Validator.atLeast(1),
            "Most pipelines at once; more are refused (429) unless they reuse one.");
    public static final Setting<Integer> PIPELINES_MAX_CONCURRENT_BACKFILLS = Setting.of(
            "pipelines.max-concurrent-backfills", SettingType.INT, 4, Validator.atLeast(1),
            "Most backfills and backtests running at once.");
    public static final Setting<Boolean> PIPELINES_MERGE_BACKFILLS = Setting.of(
            "pipelines.merge-backfills", SettingType.BOOLEAN, true, Validator.any(),
            "Whether a caught-up backfill is merged into the shared live pipeline of its PID.");
    public static final Setting<Integer> PIPELINES_STANDBY_REPLICAS = Setting.of(
            "pipelines.standby-replicas", SettingType.INT, 0, Validator.between(0, 3),
            "Warm copies of each branch's local state kept on other ETL instances (Kafka Streams"
                    + " num.standby.replicas): a branch moving to another instance resumes without restoring its"
                    + " stores from the changelog. At most the number of ETL instances minus one.");
    public static final Setting<Duration> PIPELINES_COMMIT_INTERVAL = Setting.of(
            "pipelines.commit-interval", SettingType.DURATION, Duration.ofMillis(100),
            Validator.between(Duration.ZERO, Duration.ofMillis(100)),
            "How often each branch commits its transaction (Kafka Streams commit.interval.ms), at most 100 ms: a"
                    + " record reaches read_committed readers of .out at the commit after it, so a shorter interval"
                    + " cuts live latency (about half of it on average) at the cost of more transactions per second"
                    + " per branch (see bench latency and bench pipe).");
    public static final Setting<Duration> PIPELINES_SESSION_TIMEOUT = Setting.of(
            "pipelines.session-timeout", SettingType.DURATION, Duration.ofSeconds(45),
            Validator.atLeast(Duration.ofSeconds(1)),
            "How long the branches and the control-plane task of an ETL instance that died wait before the other"
                    + " instances take them over (session.timeout.ms of every Kafka Streams app of the ETL, static"
                    + " members; Kafka's default). An instance restarted on its state dir takes its own back at once."
                    + " Within the brokers' group.min.session.timeout.ms and group.max.session.timeout.ms (6 s to"
                    + " 30 min by default).");
    public static final Setting<Duration> AGGREGATORS_MAX_WAIT = Setting.of(
            "aggregators.max-wait", SettingType.DURATION, Duration.ofSeconds(60),
            Validator.atLeast(Duration.ofMillis(100)),
            "How long an aggregator's tuple waits for another source to pass its trigger block's time while that"
                    + " source sends nothing; then it is emitted marked stalled (see docs/aggregators.md). Above"
                    + " the longest gap between two blocks of any source.");

    private static final Map<Network, NetworkSettings> NETWORKS = declareNetworks();
    private static final List<Setting<?>> ALL = collect();
    private static final Map<String, Setting<?>> BY_NAME = index();

    private Settings() {
    }

    /** The settings of one network. */
    public static NetworkSettings network(Network network) {
        return NETWORKS.get(network);
    }

    /** Every setting, in declaration order (general ones, client security, then each network's). */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /** The setting with this key. */
    public static Optional<Setting<?>> find(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static Map<Network, NetworkSettings> declareNetworks() {
        Map<Network, NetworkSettings> networks = new EnumMap<>(Network.class);
        for (Network network : Network.values()) {
            networks.put(network, NetworkSettings.declare(network));
        }
        return networks;
    }

    private static List<Setting<?>> collect() {
        List<Setting<?>> all = new ArrayList<>(List.of(NAMESPACE, KAFKA_BOOTSTRAP_SERVERS,
                KAFKA_REPLICATION_FACTOR, KAFKA_START_TIMEOUT, SCHEMA_REGISTRY_URL, API_HOST, API_PORT, API_TOKEN,
                API_MAX_REQUEST_BYTES, API_RATE_LIMIT, API_RATE_BURST, ORACLES_HTTP_HOST, ORACLES_HTTP_PORT,
                ORACLES_NODE_ERROR_BUDGET, ORACLES_LEASE_TIMEOUT, LOG_FORMAT, STATE_DIR, ORACLE_TOPIC_RETENTION_MS,
                PIPELINES_MAX_ACTIVE, PIPELINES_MAX_CONCURRENT_BACKFILLS, PIPELINES_MERGE_BACKFILLS,
                PIPELINES_STANDBY_REPLICAS, PIPELINES_COMMIT_INTERVAL, PIPELINES_SESSION_TIMEOUT, AGGREGATORS_MAX_WAIT));
        all.addAll(ClientSecuritySettings.all());
        NETWORKS.values().forEach(n -> all.addAll(n.all()));
        return List.copyOf(all);
    }

    // Two keys with one environment variable could not be told apart: refuse at class load.
    private static Map<String, Setting<?>> index() {
        Map<String, Setting<?>> byName = new HashMap<>();
        Map<String, Setting<?>> byEnv = new HashMap<>();
        for (Setting<?> setting : ALL) {
            Setting<?> clash = byEnv.put(setting.envVar(), setting);
            if (byName.put(setting.name(), setting) != null || clash != null) {
                throw new IllegalStateException("settings " + setting + " and " + clash
                        + " share a key or environment variable " + setting.envVar());
            }
        }
        return Map.copyOf(byName);
    }
}
