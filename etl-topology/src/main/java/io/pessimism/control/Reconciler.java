package io.pessimism.control;

import io.pessimism.avro.OracleHealth;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.config.KafkaConnection;
import io.pessimism.logging.LogContext;
import io.pessimism.pipeline.Branches;
import io.pessimism.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings this instance's branches to the desired state: reads all of {@code <ns>.pipelines} from
 * the beginning on start (so a restarted service resumes its pipelines), then follows it, calling
 * {@link Branches#apply} for every spec; follows {@code <ns>.pipeline-status} into the
 * {@link PipelineCatalogue} too, and {@code <ns>.oracle-status} into {@link Branches#sourceChanged}
 * (a failed source oracle puts its pipelines in ERROR). A failing apply is logged with its pipeline
 * and does not stop the others.
 *
 * <p>What was on the topic at start is applied only as each pipeline's latest spec, once read:
 * the compacted topic may still hold older revisions, and replaying a history such as RUNNING,
 * STOPPED, RUNNING would delete a branch's offsets and re-emit its output.
 */
public final class Reconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition specsPartition;
    private final TopicPartition statusPartition;
    private final TopicPartition oraclePartition;
    private final Deserializer<PipelineSpec> specs;
    private final Deserializer<PipelineStatus> statuses;
    private final Deserializer<OracleHealth> oracles;
    private final Branches branches;
    private final PipelineCatalogue catalogue;
    private final PartitionFollower<byte[], byte[]> follower;
    private volatile Map<TopicPartition, Long> startEnds = Map.of();
    private volatile Map<TopicPartition, Long> positions = Map.of();
    private final CountDownLatch caughtUpLatch = new CountDownLatch(1);
    /** The latest spec of each pipeline read during the catch-up, in first-seen order; null once applied. */
    private Map<String, PipelineSpec> heldUntilCaughtUp = new LinkedHashMap<>();

    public Reconciler(KafkaConnection kafka, String clientId, Topics topics, Branches branches,
            PipelineCatalogue catalogue) {
        Properties props = AssignedConsumers.props(kafka, clientId, 100);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.specsPartition = new TopicPartition(topics.pipelines().name(), 0);
        this.statusPartition = new TopicPartition(topics.pipelineStatus().name(), 0);
        this.oraclePartition = new TopicPartition(topics.oracleStatus().name(), 0);
        this.specs = topics.pipelines().valueSerde().deserializer();
        this.statuses = topics.pipelineStatus().valueSerde().deserializer();
        this.oracles = topics.oracleStatus().valueSerde().deserializer();
        this.branches = branches;
        this.catalogue = catalogue;
        this.follower = new PartitionFollower<>(consumer, clientId, "the reconciler following "
                + specsPartition + ", " + statusPartition + " and " + oraclePartition, this::handleBatch);
    }

    /** Positions at the beginning of the three topics and starts following them. */
    public void start() {
        List<TopicPartition> partitions = List.of(specsPartition, statusPartition, oraclePartition);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        startEnds = Map.copyOf(consumer.endOffsets(partitions));
        follower.start();
    }

    /** Whether every spec and status that existed at start has been read (and its spec applied). */
    public boolean caughtUp() {
        Map<TopicPartition, Long> at = positions;
        return startEnds.entrySet().stream().allMatch(e -> at.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** Waits until {@link #caughtUp()}, or fails naming the topic. */
    public void awaitCaughtUp(Duration timeout) {
        try {
            if (!caughtUpLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the reconciler did not read " + specsPartition.topic() + " within "
                        + timeout.toSeconds() + " s" + (running() ? "" : ": it stopped, see the log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + specsPartition.topic(), e);
        }
    }

    /** Whether the following thread is alive. */
    public boolean running() {
        return follower.running();
    }

    private void handleBatch(ConsumerRecords<byte[], byte[]> records) {
        for (ConsumerRecord<byte[], byte[]> record : records) {
            handle(record);
        }
        positions = Map.of(specsPartition, consumer.position(specsPartition),
                statusPartition, consumer.position(statusPartition),
                oraclePartition, consumer.position(oraclePartition));
        if (heldUntilCaughtUp != null && caughtUp()) {
            Map<String, PipelineSpec> latest = heldUntilCaughtUp;
            heldUntilCaughtUp = null;
            latest.values().forEach(this::apply);
            caughtUpLatch.countDown();
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        // specs and statuses are keyed by PUUID; an oracle's status is about no pipeline
        boolean aboutPipeline = !record.topic().equals(oraclePartition.topic());
        try (var logged = LogContext.forPipeline(aboutPipeline ? key : null)) {
            handleAs(record, key);
        }
    }

    private void handleAs(ConsumerRecord<byte[], byte[]> record, String key) {
        try {
            if (record.topic().equals(oraclePartition.topic())) {
                if (record.value() != null) {
                    branches.sourceChanged(oracles.deserialize(record.topic(), record.value()));
                }
                return;
            }
            if (record.topic().equals(statusPartition.topic())) {
                if (record.value() != null) {
                    catalogue.update(statuses.deserialize(record.topic(), record.value()));
                }
                return;
            }
            if (record.value() == null) {
                catalogue.forget(key);
                if (heldUntilCaughtUp != null) {
                    heldUntilCaughtUp.remove(key);
                }
                return;
            }
            PipelineSpec spec = specs.deserialize(record.topic(), record.value());
            catalogue.update(spec);
            if (heldUntilCaughtUp != null) {
                heldUntilCaughtUp.put(spec.getPuuid(), spec);
                return;
            }
            branches.apply(spec);
        } catch (RuntimeException e) {
            // One bad record or one failing branch must not stop the others: say which and go on.
            log.error("{} offset {} (pipeline {}): could not apply: {}", record.topic(), record.offset(), key,
                    e.getMessage(), e);
        }
    }

    private void apply(PipelineSpec spec) {
        try (var logged = LogContext.forPipeline(spec.getPuuid())) {
            branches.apply(spec);
        } catch (RuntimeException e) {
            log.error("{} (pipeline {}): could not apply: {}", specsPartition.topic(), spec.getPuuid(),
                    e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
