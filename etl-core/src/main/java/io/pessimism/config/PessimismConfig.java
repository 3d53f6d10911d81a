package io.pessimism.config;

import io.pessimism.network.Network;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated configuration, with typed accessors. Load it with {@link ConfigLoader} or
 * {@link #load}; print it with {@link #describe()} (secrets masked).
 */
public final class PessimismConfig {

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, ConfigSource> sources;

    PessimismConfig(Map<Setting<?>, Object> values, Map<Setting<?>, ConfigSource> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
    }

    /** Loads file (when given) &lt; environment &lt; overrides; see {@link ConfigLoader}. */
    public static PessimismConfig load(Optional<Path> file, Map<String, String> environment,
            Map<String, String> overrides) {
        ConfigLoader loader = ConfigLoader.create().environment(environment).overrides(overrides);
        file.ifPresent(loader::file);
        return loader.load();
    }

    /** Every setting at its default, with these overrides (tests, the dev command). */
    public static PessimismConfig defaults(Map<String, String> overrides) {
        return load(Optional.empty(), Map.of(), overrides);
    }

    /** The value of a setting that has one (a default or a given value). */
    public <T> T get(Setting<T> setting) {
        return find(setting).orElseThrow(() ->
                new IllegalStateException("setting " + setting + " has no value"));
    }

    /** The value of a setting, empty when an optional setting is unset. */
    @SuppressWarnings("unchecked") // values were parsed by the setting's own type
    public <T> Optional<T> find(Setting<T> setting) {
        return Optional.ofNullable((T) values.get(setting));
    }

    /** Where a setting's value came from. */
    public ConfigSource source(Setting<?> setting) {
        return sources.getOrDefault(setting, ConfigSource.DEFAULT);
    }

    public String namespace() {
        return get(Settings.NAMESPACE);
    }

    /** The topic names of this namespace. */
    public TopicNames topicNames() {
        return new TopicNames(namespace());
    }

    public String kafkaBootstrapServers() {
        return get(Settings.KAFKA_BOOTSTRAP_SERVERS);
    }

    /** The brokers and how to log in: what every Kafka client starts from. */
    public KafkaConnection kafka() {
        return new KafkaConnection(kafkaBootstrapServers(), ClientSecuritySettings.kafkaProperties(this));
    }

    public short kafkaReplicationFactor() {
        return get(Settings.KAFKA_REPLICATION_FACTOR);
    }

    public Duration kafkaStartTimeout() {
        return get(Settings.KAFKA_START_TIMEOUT);
    }

    public String schemaRegistryUrl() {
        return get(Settings.SCHEMA_REGISTRY_URL);
    }

    /** The {@code user:password} of the Schema Registry's HTTP basic auth, when it wants one. */
    public Optional<String> schemaRegistryUserInfo() {
        return find(ClientSecuritySettings.REGISTRY_BASIC_AUTH);
    }

    public ApiConfig api() {
        return new ApiConfig(get(Settings.API_HOST), get(Settings.API_PORT),
                find(Settings.API_TOKEN), get(Settings.API_MAX_REQUEST_BYTES), get(Settings.API_RATE_LIMIT),
                get(Settings.API_RATE_BURST));
    }

    /** Where {@code pessimism oracles} serves /health, /ready and /metrics. */
    public String oraclesHttpHost() {
        return get(Settings.ORACLES_HTTP_HOST);
    }

    public int oraclesHttpPort() {
        return get(Settings.ORACLES_HTTP_PORT);
    }

    /** How long an oracle's node may keep failing before the pipelines it feeds show ERROR. */
    public Duration oracleNodeErrorBudget() {
        return get(Settings.ORACLES_NODE_ERROR_BUDGET);
    }

    /** How the services write their log lines ({@code log.format}). */
    public LogFormat logFormat() {
        return get(Settings.LOG_FORMAT);
    }

    public Path stateDir() {
        return get(Settings.STATE_DIR);
    }

    /** The oracle processes' membership of their lease group ({@code oracles.lease-timeout}). */
    public GroupSession oracleLeaseSession() {
        return new GroupSession(get(Settings.ORACLES_LEASE_TIMEOUT));
    }

    /** The ETL instances' membership of every Kafka Streams group ({@code pipelines.session-timeout}). */
    public GroupSession pipelineSession() {
        return new GroupSession(get(Settings.PIPELINES_SESSION_TIMEOUT));
    }

    public long oracleTopicRetentionMs() {
        return get(Settings.ORACLE_TOPIC_RETENTION_MS);
    }

    public PipelineLimits pipelineLimits() {
        return new PipelineLimits(get(Settings.PIPELINES_MAX_ACTIVE),
                get(Settings.PIPELINES_MAX_CONCURRENT_BACKFILLS), get(Settings.PIPELINES_MERGE_BACKFILLS));
    }

    /** How long an aggregator's tuple waits for a silent source before it is emitted stalled. */
    public Duration aggregatorMaxWait() {
        return get(Settings.AGGREGATORS_MAX_WAIT);
    }

    public NetworkConfig network(Network network) {
        NetworkSettings s = Settings.network(network);
        return new NetworkConfig(network, get(s.enabled()), get(s.rpcUrl()), find(s.wsUrl()),
                get(s.pollInterval()), get(s.requestTimeout()), get(s.confirmations()),
                get(s.batchSize()), get(s.concurrency()), get(s.reorgWindow()),
                get(s.contractCreations()));
    }

    /** The networks whose {@code networks.<network>.enabled} is true. */
    public List<Network> enabledNetworks() {
        return Arrays.stream(Network.values()).filter(n -> get(Settings.network(n).enabled()))
                .toList();
    }

    /** One line per setting, {@code key = value (source)}, secrets masked. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        for (Setting<?> setting : Settings.all()) {
            out.append(setting.name()).append(" = ").append(show(setting))
                    .append(" (").append(source(setting)).append(")\n");
        }
        return out.toString();
    }

    private <T> String show(Setting<T> setting) {
        return find(setting).map(setting::show).orElse("<unset>");
    }

    /** Same as {@link #describe()}: never shows a secret. */
    @Override
    public String toString() {
        return describe();
    }
}
