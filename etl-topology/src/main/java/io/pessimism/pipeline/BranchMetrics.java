package io.pessimism.pipeline;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Serves each branch's Kafka Streams metrics (its stream and global threads, tasks, stores, and the
 * consumers and producer inside) through Micrometer's {@link KafkaStreamsMetrics}, once the service
 * has given a registry. Kafka tags them with the branch's client and thread ids, which start with its
 * prefix; they carry no {@code puuid} tag, since Prometheus wants one set of tag keys per name and
 * the control plane's Kafka Streams meters share these names. A branch binds each Kafka Streams
 * instance it starts and unbinds it as it closes it, so a restarted branch leaves no stale meters.
 * Each binding refreshes its meters on a thread of its own (Micrometer keeps running a task it was
 * given on a shared scheduler after it is closed).
 */
final class BranchMetrics {

    private volatile MeterRegistry registry;

    /** From now on, branches bind to {@code registry} as they start. */
    void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds {@code streams}' metrics; close the binding before or as the streams close. Empty without a registry. */
    Optional<KafkaStreamsMetrics> bind(KafkaStreams streams) {
        MeterRegistry to = registry;
        if (to == null) {
            return Optional.empty();
        }
        KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams);
        metrics.bindTo(to);
        return Optional.of(metrics);
    }
}
