package io.pessimism.pipeline;

import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.config.KafkaConnection;
import io.pessimism.logging.LogContext;
import io.pessimism.topic.Topic;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observed state of every branch this runtime runs: written to the compacted
 * {@code <ns>.pipeline-status} (key: the PUUID) and kept in memory for {@link Branches#status}.
 * Writes are asynchronous and idempotent; a failed write is logged naming the pipeline, and the
 * next change or progress tick writes the status again.
 */
final class StatusBoard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StatusBoard.class);

    private final Topic<String, PipelineStatus> topic;
    private final KafkaProducer<String, PipelineStatus> producer;
    private final Map<String, PipelineStatus> last = new ConcurrentHashMap<>();

    StatusBoard(KafkaConnection kafka, Topic<String, PipelineStatus> topic) {
        this.topic = topic;
        Properties props = kafka.asProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pessimism-branch-status");
        this.producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /**
     * Records and publishes a pipeline's status.
     *
     * @param height     the last block the branch has processed, when it has
     * @param headHeight the head of its trigger source, when known (the lag is the difference)
     */
    void report(String puuid, PipelineState state, Long height, Long headHeight, String reason) {
        report(puuid, state, height, headHeight, null, reason);
    }

    /** @param progress a backfill's or backtest's figures, or null */
    void report(String puuid, PipelineState state, Long height, Long headHeight, BackfillProgress.Figures progress,
            String reason) {
        Long lag = height == null || headHeight == null ? null : Math.max(0, headHeight - height);
        PipelineStatus status = PipelineStatus.newBuilder()
                .setPuuid(puuid).setState(state).setHeight(height)
                .setHeadHeight(headHeight).setLag(lag)
                .setProgress(progress == null ? null : progress.fraction())
                .setBlocksDone(progress == null ? null : progress.done())
                .setBlocksTotal(progress == null ? null : progress.total())
                .setBlocksPerSecond(progress == null ? null : progress.rate())
                .setEtaSeconds(progress == null ? null : progress.eta())
                .setReason(reason).setUpdatedAt(System.currentTimeMillis())
                .build();
        last.put(puuid, status);
        // the callback runs on the producer's I/O thread, shared by every pipeline: label its line
        producer.send(new ProducerRecord<>(topic.name(), puuid, status), (metadata, error) -> {
            if (error != null) {
                try (var logged = LogContext.forPipeline(puuid)) {
                    log.warn("could not write the status {} of pipeline {} to {}: {}", state, puuid, topic.name(),
                            error.toString());
                }
            }
        });
        try (var logged = LogContext.forPipeline(puuid)) {
            if (state == PipelineState.ERROR) {
                log.error("pipeline {} is in ERROR: {}", puuid, reason);
            } else {
                log.info("pipeline {} is {}{}{}", puuid, state, height == null ? "" : " at block " + height,
                        progress == null ? "" : String.format(" (%d/%d blocks%s)", progress.done(), progress.total(),
                                progress.rate() == null ? "" : String.format(", %.1f blocks/s", progress.rate())));
            }
        }
    }

    Optional<PipelineStatus> last(String puuid) {
        return Optional.ofNullable(last.get(puuid));
    }

    @Override
    public void close() {
        producer.close();
    }
}
