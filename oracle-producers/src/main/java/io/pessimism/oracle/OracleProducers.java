package io.pessimism.oracle;

import io.pessimism.topic.Topics;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The transactional producer every oracle writes its topic with. The transactional id is fixed per
 * output topic, i.e. per (ns, network, register) for a live oracle: a new instance's
 * {@code initTransactions} aborts what an older one (killed or not) left open and fences it, so two
 * copies of one oracle never both write (DESIGN.md §4).
 */
public final class OracleProducers {

    private OracleProducers() {
    }

    /** The transactional id of the oracle writing {@code topic}. */
    public static String transactionalId(String topic) {
        return "pessimism-oracle." + topic;
    }

    /**
     * The producer settings of the oracle writing {@code topic}: transactional, idempotent, all
     * replicas, zstd, records up to {@link Topics#MAX_MESSAGE_BYTES}; then the oracle's own
     * {@code tuning} (batching for its record sizes); then the settings' producer overrides.
     */
    public static Map<String, Object> config(OracleSettings settings, String topic, Map<String, Object> tuning) {
        Map<String, Object> config = settings.kafka().properties();
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(topic));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId(topic));
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        // A transaction stays open at most about one node request timeout (networks.<n>.request-timeout)
        // plus a commit; the coordinator must not abort it before that.
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        config.putAll(tuning);
        config.putAll(settings.producerOverrides());
        return config;
    }
}
