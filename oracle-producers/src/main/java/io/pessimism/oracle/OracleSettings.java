package io.pessimism.oracle;

import io.pessimism.config.ContractCreations;
import io.pessimism.config.KafkaConnection;
import io.pessimism.config.NetworkConfig;
import io.pessimism.config.NetworkSettings;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.network.Network;
import io.pessimism.oracle.rpc.Backoff;
import io.pessimism.oracle.rpc.NodeMeters;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How one oracle instance runs on one network: where the node and the brokers are and how it fetches.
 * The topic it writes (name, serde, configs) comes from etl-core's {@code Topics}. Build with
 * {@link #builder}; every value is validated there, naming the setting.
 *
 * <p>Defaults: a value with a declared setting ({@code networks.<network>.*},
 * {@code kafka.replication.factor}; see {@link Settings}) defaults to the declaration, so a builder,
 * the CLI and a standalone {@code OracleMain} agree; the values no setting declares (the range, the
 * transaction bounds, the backoff) default to this class's constants, their one place.
 *
 * @param replicationFactor of the topic when the oracle creates it; -1 lets the broker decide
 * @param startHeight the first height written to an empty topic
 * @param endHeight the last height to write, or {@link #UNBOUNDED} to follow the head forever (a read routine)
 * @param confirmations only blocks this many deep below the node's head are written
 * @param reorgWindow how many emitted blocks are kept to resolve a reorg; a deeper reorg stops the oracle
 * @param contractCreations what the GethBlock oracle fetches about the contracts its blocks create
 * @param maxBlocksPerTransaction a transaction is committed once it holds this many blocks
 * @param maxTransactionTime a transaction is committed once it has been open this long
 * @param nodeErrorBudget how long the node may fail every call before the oracle reports
 *                        {@link OracleState#NODE_FAILING} ({@code oracles.node-error-budget})
 * @param producerOverrides extra producer settings, applied last
 */
public record OracleSettings(
        Network network,
        String rpcUrl,
        Optional<String> wsUrl,
        Duration requestTimeout,
        KafkaConnection kafka,
        short replicationFactor,
        long startHeight,
        long endHeight,
        Duration pollInterval,
        int confirmations,
        int batchSize,
        int concurrency,
        int reorgWindow,
        ContractCreations contractCreations,
        int maxBlocksPerTransaction,
        Duration maxTransactionTime,
        Duration backoffInitial,
        Duration backoffMax,
        Duration nodeErrorBudget,
        Map<String, Object> producerOverrides) {

    /** The first height written to an empty topic unless told otherwise: genesis. */
    public static final long GENESIS = 0;
    /** {@link #endHeight} of a routine that follows the head forever. */
    public static final long UNBOUNDED = -1;
    /** A transaction is committed once it holds this many blocks, unless told otherwise. */
    public static final int MAX_BLOCKS_PER_TRANSACTION = 5_000;
    /** A transaction is committed once it has been open this long, unless told otherwise. */
    public static final Duration MAX_TRANSACTION_TIME = Duration.ofMillis(500);
    /** The first wait after a failure, doubling up to {@link #BACKOFF_MAX}, unless told otherwise. */
    public static final Duration BACKOFF_INITIAL = Duration.ofMillis(200);
    /** The longest wait after consecutive failures, unless told otherwise. */
    public static final Duration BACKOFF_MAX = Duration.ofSeconds(10);

    public OracleSettings {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(wsUrl, "wsUrl");
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(contractCreations, "contractCreations");
        if (replicationFactor != -1 && replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be -1 (broker default) or at least 1, got "
                    + replicationFactor);
        }
        producerOverrides = Map.copyOf(producerOverrides);
        positive("pollInterval", pollInterval);
        positive("requestTimeout", requestTimeout);
        positive("maxTransactionTime", maxTransactionTime);
        positive("backoffInitial", backoffInitial);
        positive("backoffMax", backoffMax);
        positive("nodeErrorBudget", nodeErrorBudget);
        atLeast("startHeight", startHeight, 0);
        if (endHeight != UNBOUNDED && endHeight < startHeight) {
            throw new IllegalArgumentException("endHeight " + endHeight + " is below startHeight " + startHeight);
        }
        atLeast("confirmations", confirmations, 0);
        atLeast("batchSize", batchSize, 1);
        atLeast("concurrency", concurrency, 1);
        atLeast("reorgWindow", reorgWindow, 1);
        atLeast("maxBlocksPerTransaction", maxBlocksPerTransaction, 1);
        if (backoffMax.compareTo(backoffInitial) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffInitial " + backoffInitial);
        }
    }

    /** Settings with the declared defaults (see the class comment), for the oracle of {@code network}. */
    public static Builder builder(Network network, String rpcUrl, KafkaConnection kafka) {
        return new Builder(network, rpcUrl, kafka);
    }

    /** The same, on a broker without TLS or login (tests, benchmarks, the standalone {@code OracleMain}). */
    public static Builder builder(Network network, String rpcUrl, String bootstrapServers) {
        return builder(network, rpcUrl, KafkaConnection.plaintext(bootstrapServers));
    }

    /** {@code bootstrap.servers} of {@link #kafka()}. */
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** A copy that writes heights {@code start..end} only (a BackTestRoutine run). */
    public OracleSettings bounded(long start, long end) {
        return new OracleSettings(network, rpcUrl, wsUrl, requestTimeout, kafka, replicationFactor, start,
                end, pollInterval, confirmations, batchSize, concurrency, reorgWindow, contractCreations,
                maxBlocksPerTransaction,
                maxTransactionTime, backoffInitial, backoffMax, nodeErrorBudget, producerOverrides);
    }

    /** The live oracle of {@code network} as the project's configuration describes it. */
    public static Builder builder(PessimismConfig config, Network network) {
        NetworkConfig net = config.network(network);
        return builder(network, net.rpcUrl(), config.kafka())
                .wsUrl(net.wsUrl())
                .requestTimeout(net.requestTimeout())
                .pollInterval(net.pollInterval())
                .confirmations(net.confirmations())
                .batchSize(net.batchSize())
                .concurrency(net.concurrency())
                .reorgWindow(net.reorgWindow())
                .contractCreations(net.contractCreations())
                .nodeErrorBudget(config.oracleNodeErrorBudget())
                .replicationFactor(config.kafkaReplicationFactor());
    }

    public boolean bounded() {
        return endHeight != UNBOUNDED;
    }

    /** A fresh backoff of these bounds (one per retrying loop: it counts consecutive failures). */
    public Backoff backoff() {
        return new Backoff(backoffInitial, backoffMax);
    }

    /** A fresh node-error budget of {@link #nodeErrorBudget} for this node (one per retrying loop, as the backoff). */
    public NodeErrorBudget errorBudget() {
        return new NodeErrorBudget(nodeErrorBudget, NodeMeters.label(rpcUrl));
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }

    /** Builder starting from the defaults of a live oracle: the declared ones, then this class's constants. */
    public static final class Builder {
        private final Network network;
        private final String rpcUrl;
        private final KafkaConnection kafka;
        private Optional<String> wsUrl = Optional.empty(); // declared optional: polling when unset
        private Duration requestTimeout;
        private short replicationFactor = Settings.KAFKA_REPLICATION_FACTOR.declaredDefault();
        private long startHeight = GENESIS;
        private long endHeight = UNBOUNDED;
        private Duration pollInterval;
        private int confirmations;
        private int batchSize;
        private int concurrency;
        private int reorgWindow;
        private ContractCreations contractCreations;
        private int maxBlocksPerTransaction = MAX_BLOCKS_PER_TRANSACTION;
        private Duration maxTransactionTime = MAX_TRANSACTION_TIME;
        private Duration backoffInitial = BACKOFF_INITIAL;
        private Duration backoffMax = BACKOFF_MAX;
        private Duration nodeErrorBudget = Settings.ORACLES_NODE_ERROR_BUDGET.declaredDefault();
        private Map<String, Object> producerOverrides = Map.of();

        private Builder(Network network, String rpcUrl, KafkaConnection kafka) {
            this.network = Objects.requireNonNull(network, "network");
            this.rpcUrl = rpcUrl;
            this.kafka = kafka;
            NetworkSettings declared = Settings.network(network);
            this.requestTimeout = declared.requestTimeout().declaredDefault();
            this.pollInterval = declared.pollInterval().declaredDefault();
            this.confirmations = declared.confirmations().declaredDefault();
            this.batchSize = declared.batchSize().declaredDefault();
            this.concurrency = declared.concurrency().declaredDefault();
            this.reorgWindow = declared.reorgWindow().declaredDefault();
            this.contractCreations = declared.contractCreations().declaredDefault();
        }

        public Builder wsUrl(Optional<String> value) {
            wsUrl = value;
            return this;
        }

        /** How long one JSON-RPC batch may take before it counts as a node failure. */
        public Builder requestTimeout(Duration value) {
            requestTimeout = value;
            return this;
        }

        public Builder replicationFactor(short value) {
            replicationFactor = value;
            return this;
        }

        public Builder startHeight(long value) {
            startHeight = value;
            return this;
        }

        public Builder endHeight(long value) {
            endHeight = value;
            return this;
        }

        public Builder pollInterval(Duration value) {
            pollInterval = value;
            return this;
        }

        public Builder confirmations(int value) {
            confirmations = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder concurrency(int value) {
            concurrency = value;
            return this;
        }

        public Builder reorgWindow(int value) {
            reorgWindow = value;
            return this;
        }

        public Builder contractCreations(ContractCreations value) {
            contractCreations = value;
            return this;
        }

        public Builder maxBlocksPerTransaction(int value) {
            maxBlocksPerTransaction = value;
            return this;
        }

        public Builder maxTransactionTime(Duration value) {
            maxTransactionTime = value;
            return this;
        }

        public Builder backoff(Duration initial, Duration max) {
            backoffInitial = initial;
            backoffMax = max;
            return this;
        }

        /** How long the node may fail every call before the oracle reports {@link OracleState#NODE_FAILING}. */
        public Builder nodeErrorBudget(Duration value) {
            nodeErrorBudget = value;
            return this;
        }

        public Builder producerOverrides(Map<String, Object> value) {
            producerOverrides = value;
            return this;
        }

        public OracleSettings build() {
            return new OracleSettings(network, rpcUrl, wsUrl, requestTimeout, kafka, replicationFactor,
                    startHeight, endHeight, pollInterval, confirmations, batchSize, concurrency, reorgWindow,
                    contractCreations, maxBlocksPerTransaction, maxTransactionTime, backoffInitial, backoffMax,
                    nodeErrorBudget, producerOverrides);
        }
    }
}
