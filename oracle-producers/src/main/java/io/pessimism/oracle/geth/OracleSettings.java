package io.pessimism.oracle.geth;

import io.pessimism.config.NetworkConfig;
import io.pessimism.config.PessimismConfig;
import io.pessimism.network.Network;
import io.pessimism.registry.Registers;
import io.pessimism.topic.TopicNames;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one GethBlock oracle instance needs: where the node and the brokers are, which topic it
 * owns, and how it fetches. Build with {@link #builder}; every value is validated there, naming the
 * setting.
 *
 * @param topic the oracle's output topic, {@code <ns>.<network>.geth_block}
 * @param transactionalId fixed per (ns, network, register), so a second copy fences the first
 * @param startHeight the first height written to an empty topic
 * @param endHeight the last height to write, or -1 to follow the head forever (a read routine)
 * @param confirmations only blocks this many deep below the node's head are written
 * @param reorgWindow how many emitted blocks are kept to resolve a reorg; a deeper reorg stops the oracle
 * @param maxBlocksPerTransaction a transaction is committed once it holds this many blocks
 * @param maxTransactionTime a transaction is committed once it has been open this long
 * @param producerOverrides extra producer settings, applied last
 */
public record OracleSettings(
        Network network,
        String rpcUrl,
        Optional<String> wsUrl,
        Duration requestTimeout,
        String bootstrapServers,
        String topic,
        String transactionalId,
        long startHeight,
        long endHeight,
        Duration pollInterval,
        int confirmations,
        int batchSize,
        int concurrency,
        int reorgWindow,
        int maxBlocksPerTransaction,
        Duration maxTransactionTime,
        Duration backoffInitial,
        Duration backoffMax,
        BlockTopicSpec topicSpec,
        Map<String, Object> producerOverrides) {

    public OracleSettings {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        Objects.requireNonNull(wsUrl, "wsUrl");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(topicSpec, "topicSpec");
        producerOverrides = Map.copyOf(producerOverrides);
        positive("pollInterval", pollInterval);
        positive("requestTimeout", requestTimeout);
        positive("maxTransactionTime", maxTransactionTime);
        positive("backoffInitial", backoffInitial);
        positive("backoffMax", backoffMax);
        atLeast("startHeight", startHeight, 0);
        if (endHeight != -1 && endHeight < startHeight) {
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

    /** Settings with the defaults, for the oracle of {@code network} in namespace {@code namespace}. */
    public static Builder builder(String namespace, Network network, String rpcUrl, String bootstrapServers) {
        return new Builder(namespace, network, rpcUrl, bootstrapServers);
    }

    /** The live oracle of {@code network} as the project's configuration describes it. */
    public static Builder builder(PessimismConfig config, Network network) {
        NetworkConfig net = config.network(network);
        return builder(config.namespace(), network, net.rpcUrl(), config.kafkaBootstrapServers())
                .wsUrl(net.wsUrl())
                .requestTimeout(net.requestTimeout())
                .pollInterval(net.pollInterval())
                .confirmations(net.confirmations())
                .batchSize(net.batchSize())
                .concurrency(net.concurrency())
                .reorgWindow(net.reorgWindow())
                .topicSpec(new BlockTopicSpec(config.kafkaReplicationFactor(), config.oracleTopicRetentionMs(),
                        BlockTopicSpec.DEFAULT_MAX_MESSAGE_BYTES));
    }

    public boolean bounded() {
        return endHeight >= 0;
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

    /** Builder with the defaults of a live GethBlock oracle. */
    public static final class Builder {
        private final Network network;
        private final String rpcUrl;
        private final String bootstrapServers;
        private Optional<String> wsUrl = Optional.empty();
        private Duration requestTimeout = Duration.ofSeconds(60);
        private String topic;
        private String transactionalId;
        private long startHeight;
        private long endHeight = -1;
        private Duration pollInterval = Duration.ofSeconds(1);
        private int confirmations;
        private int batchSize = 100;
        private int concurrency = 4;
        private int reorgWindow = 128;
        private int maxBlocksPerTransaction = 5_000;
        private Duration maxTransactionTime = Duration.ofMillis(500);
        private Duration backoffInitial = Duration.ofMillis(200);
        private Duration backoffMax = Duration.ofSeconds(10);
        private BlockTopicSpec topicSpec = BlockTopicSpec.defaults();
        private Map<String, Object> producerOverrides = Map.of();

        private Builder(String namespace, Network network, String rpcUrl, String bootstrapServers) {
            this.network = Objects.requireNonNull(network, "network");
            this.rpcUrl = rpcUrl;
            this.bootstrapServers = bootstrapServers;
            this.topic = new TopicNames(namespace).registerTopic(network, Registers.GETH_BLOCK);
            this.transactionalId = "pessimism-oracle." + topic;
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

        /** Writes to another topic (a backtest's source), with its own transactional id. */
        public Builder topic(String value) {
            topic = TopicNames.requireTopic(value);
            transactionalId = "pessimism-oracle." + value;
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

        public Builder topicSpec(BlockTopicSpec value) {
            topicSpec = value;
            return this;
        }

        public Builder producerOverrides(Map<String, Object> value) {
            producerOverrides = value;
            return this;
        }

        public OracleSettings build() {
            return new OracleSettings(network, rpcUrl, wsUrl, requestTimeout, bootstrapServers, topic, transactionalId, startHeight,
                    endHeight, pollInterval, confirmations, batchSize, concurrency, reorgWindow,
                    maxBlocksPerTransaction, maxTransactionTime, backoffInitial, backoffMax, topicSpec,
                    producerOverrides);
        }
    }
}
