package io.pessimism.oracle;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * An oracle's own meters, recorded where the work happens and kept in Micrometer's global registry,
 * which a service joins its Prometheus registry to ({@code OracleMetrics.bind} in the app): each
 * stage of its loop as a timer, {@code pessimism_oracle_stage_seconds{network, register, stage}}
 * (count, sum, max and histogram buckets per step), and its Kafka clients' metrics through
 * Micrometer's {@link KafkaClientMetrics}. With no registry joined, recording costs next to nothing.
 */
public final class OracleMeters {

    private final Tags tags;
    private final Map<String, Timer> stages = new LinkedHashMap<>();

    /** @param stages the stages its loop times (e.g. {@code StageTimes.STAGES}); others are refused */
    public OracleMeters(String network, String register, List<String> stages) {
        this.tags = Tags.of("network", network, "register", register);
        for (String stage : stages) {
            this.stages.put(stage, Timer.builder("pessimism.oracle.stage")
                    .description("Time an oracle spent in a stage of its loop, per step")
                    .tags(tags.and("stage", stage))
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(Metrics.globalRegistry));
        }
    }

    /** Records one step's time in {@code stage}; a stage its definition does not name is a bug. */
    public void record(String stage, long nanos) {
        Timer timer = stages.get(stage);
        if (timer == null) {
            throw new IllegalArgumentException("no stage '" + stage + "'; stages: " + stages.keySet());
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Binds a producer's metrics; close the result with the producer. */
    public AutoCloseable bind(Producer<?, ?> producer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer, tags);
        metrics.bindTo(Metrics.globalRegistry);
        return metrics;
    }

    /** Binds a consumer's metrics; close the result with the consumer. */
    public AutoCloseable bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, tags);
        metrics.bindTo(Metrics.globalRegistry);
        return metrics;
    }
}
