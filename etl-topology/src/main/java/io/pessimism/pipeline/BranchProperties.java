package io.pessimism.pipeline;

import io.pessimism.topic.Topics;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchDefinition;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The Kafka Streams configuration of one branch (DESIGN.md §4): {@code application.id} = the
 * prefix, {@code exactly_once_v2}, commits at least every 100 ms, one stream thread (a branch
 * reads one ordered partition), RocksDB under the JVM's shared bounded cache, and poison records
 * to {@code <prefix>.dlq} with Kafka Streams' own DLQ support (KIP-1034).
 */
public final class BranchProperties {

    /** Producer {@code batch.size} of every branch. */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    /** The least record cache of a backtest's branch. */
    public static final long BACKTEST_RECORD_CACHE_BYTES = 8L * 1024 * 1024;

    /** The {@link BranchCounters} of the branch, handed to its error handlers. */
    static final String COUNTERS = "pessimism.branch.counters";

    /** The branch's counters from an error handler's configs; fresh ones when absent (e.g. in a test). */
    static BranchCounters counters(Map<String, ?> configs) {
        return configs.get(COUNTERS) instanceof BranchCounters given ? given : new BranchCounters();
    }

    private BranchProperties() {
    }

    /**
     * Lets the processing exception handler hear the global thread too: Kafka Streams 5.0's default,
     * which 4.3 warns about at every start until it is set. Also for the main consumer, whose partition
     * assignor reads its own copy of the Streams configuration, given only the consumer's properties.
     */
    public static void enableGlobalProcessingHandler(Properties props) {
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
                true);
    }

    /**
     * The properties of {@code branch}'s Kafka Streams; its handlers count into {@code counters}. A
     * backtest's record cache is at least {@link #BACKTEST_RECORD_CACHE_BYTES}: its range end writes
     * every record it holds to a cached store and deletes it a reorg window later, so what one commit
     * interval writes must fit in the cache, or the cache flushes it to RocksDB and the changelog
     * before it is deleted (bench replay, README). Backtests run a few at once
     * ({@code pipelines.max-concurrent-backfills}), which bounds the memory.
     */
    public static Properties of(BranchSettings settings, Topics topics, BranchDefinition branch,
            BranchCounters counters) {
        long recordCache = branch.backtest() ? Math.max(settings.recordCacheBytes(), BACKTEST_RECORD_CACHE_BYTES)
                : settings.recordCacheBytes();
        return of(settings, topics, branch.prefix(), counters, recordCache);
    }

    /** The properties of the branch with this prefix; its handlers count into {@code counters}. */
    public static Properties of(BranchSettings settings, Topics topics, String prefix, BranchCounters counters) {
        return of(settings, topics, prefix, counters, settings.recordCacheBytes());
    }

    private static Properties of(BranchSettings settings, Topics topics, String prefix, BranchCounters counters,
            long recordCacheBytes) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.names().applicationId(prefix));
        props.putAll(settings.kafka().properties());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, recordCacheBytes);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDb.class);
        props.put(BoundedRocksDb.CACHE_BYTES, settings.rocksDbCacheBytes());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, PoisonRecordHandler.class);
        // The handler also hears the global thread's exceptions. Nothing changes for interests:
        // InterestLoader counts and skips an undecodable one itself and throws nothing, and any other
        // exception is no poison, so PoisonRecordHandler fails the branch as the global thread did without it.
        enableGlobalProcessingHandler(props);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.names().dlq(prefix));
        props.put(COUNTERS, counters);
        // A poison block goes to the DLQ whole; blocks may be as large as the topic allows.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_MESSAGE_BYTES + 64 * 1024);
        // A branch catching up (a backfill, a backtest, a restart) writes its .out and changelogs as fast
        // as it reads; with the default 16 KiB batches the broker's per-batch work made an event_log
        // backtest about a third slower (bench replay, README). A branch at the head is not slowed: a
        // batch goes at linger.ms (100) or the commit's flush, full or not. The cost is memory: each
        // partition with records waiting holds one such buffer of the producer's pool (buffer.memory).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Static membership: a branch restarted in this runtime (after an error, or the service's
        // restart on the same state dir) takes its partitions back at once instead of waiting for
        // its previous member's session to expire. Kafka Streams appends the thread index.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), settings.instanceId());
        props.putAll(settings.overrides());
        return props;
    }
}
