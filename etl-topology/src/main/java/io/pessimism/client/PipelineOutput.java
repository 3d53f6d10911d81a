package io.pessimism.client;

import io.pessimism.avro.Envelope;
import io.pessimism.avro.MergedInto;
import io.pessimism.config.KafkaConnection;
import io.pessimism.pipeline.HeightSearch;
import io.pessimism.topology.OutputRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A typed, {@code read_committed} reader of one pipeline's {@code <prefix>.out} for the risk
 * engine, that follows the pipeline across a merge: on a {@code MergedInto} marker it switches to
 * the topic of the pipeline merged into, from the marker's {@code fromHeight}, so every record is
 * read once across the hand-off. A backtest's {@code backtestEnd} marker ends the reading
 * ({@link #ended()}). Not thread-safe: one reader per consuming thread.
 *
 * <pre>{@code
 * try (var out = PipelineOutput.open(bootstrap, created.topic(), topics.valueSerde(EventLogOutput.class).deserializer(),
 *         EventLogOutput.class)) {
 *     while (running) {
 *         for (EventLogOutput event : out.poll(Duration.ofSeconds(1))) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>The topic merged into is searched by height (binary search over offsets on the envelope's
 * block number, then a step back of {@link #SEARCH_MARGIN} records, since a retraction dips below
 * the heights around it); records below {@code fromHeight} on it are skipped: they are the other
 * pipeline's, from before the hand-off.
 *
 * @param <V> the register's output type
 */
public final class PipelineOutput<V extends SpecificRecord> implements AutoCloseable {

    /** How many records before the searched offset reading starts on a topic merged into. */
    static final long SEARCH_MARGIN = 1000;
    private static final Duration SEARCH_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, V> consumer;
    private final OutputRecords<V> outputs;
    private TopicPartition partition;
    private long fromHeight = Long.MIN_VALUE;
    private boolean ended;
    private final List<MergedInto> followed = new ArrayList<>();

    private PipelineOutput(KafkaConsumer<String, V> consumer, Class<V> type, String topic) {
        this.consumer = consumer;
        this.outputs = OutputRecords.of(type);
        this.partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    /** A reader of {@code topic} (a pipeline's {@code .out}, one partition) from its beginning, on a broker without TLS or login. */
    public static <V extends SpecificRecord> PipelineOutput<V> open(String bootstrapServers, String topic,
            Deserializer<V> values, Class<V> type) {
        return open(KafkaConnection.plaintext(bootstrapServers), topic, values, type);
    }

    /** A reader of {@code topic} (a pipeline's {@code .out}, one partition) from its beginning. */
    public static <V extends SpecificRecord> PipelineOutput<V> open(KafkaConnection kafka, String topic,
            Deserializer<V> values, Class<V> type) {
        Properties props = kafka.asProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pessimism-pipeline-output");
        return new PipelineOutput<>(new KafkaConsumer<>(props, new StringDeserializer(), values), type, topic);
    }

    /** The data records (and retractions) read within {@code timeout}, following a merge marker when one comes. */
    public List<V> poll(Duration timeout) {
        List<V> read = new ArrayList<>();
        if (ended) {
            return read;
        }
        for (ConsumerRecord<String, V> record : consumer.poll(timeout)) {
            V value = record.value();
            MergedInto merged = outputs.mergedInto(value);
            if (merged != null) {
                follow(merged);
                return read; // the rest of this poll was the old topic's
            }
            if (outputs.isBacktestEnd(value)) {
                ended = true;
                return read;
            }
            Envelope envelope = outputs.envelope(value);
            if (envelope.getBlockNumber() >= fromHeight) {
                read.add(value);
            }
        }
        return read;
    }

    /** Whether a backtest's end marker was read: nothing more comes. */
    public boolean ended() {
        return ended;
    }

    /** The topic read now: the pipeline's, or the last one merged into. */
    public String topic() {
        return partition.topic();
    }

    /** The merge markers followed so far, in order. */
    public List<MergedInto> followed() {
        return List.copyOf(followed);
    }

    private void follow(MergedInto merged) {
        followed.add(merged);
        partition = new TopicPartition(merged.getTopic(), 0);
        fromHeight = merged.getFromHeight();
        consumer.assign(List.of(partition));
        long start = firstAtOrAbove(merged.getFromHeight());
        long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
        consumer.seek(partition, Math.max(begin, start - SEARCH_MARGIN));
    }

    /** The offset of a record at or above {@code height} on the current partition, as if heights only grew. */
    private long firstAtOrAbove(long height) {
        return HeightSearch.firstAtOrAbove(consumer, partition, height,
                record -> outputs.envelope(record.value()).getBlockNumber(), SEARCH_TIMEOUT);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
