package io.pessimism.oracle;

import io.pessimism.avro.OracleHealth;
import io.pessimism.config.KafkaConnection;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the status of the oracles running in this process to the compacted
 * {@code <ns>.oracle-status} topic, at a fixed interval and once more on close, so that an ETL in
 * another process (and operators) can read each source's head, lag and last error.
 */
public final class OracleHealthPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OracleHealthPublisher.class);

    private final Topic<String, OracleHealth> topic;
    private final Supplier<List<Reported>> statuses;

    /** One oracle's status; its id gives the register it produces and the record's key. */
    public record Reported(OracleId id, OracleStatus status) {}
    private final KafkaProducer<String, OracleHealth> producer;
    private final ScheduledExecutorService timer;
    private final String host;

    /**
     * @param statuses the current status of each oracle of this process
     */
    public OracleHealthPublisher(KafkaConnection kafka, short replicationFactor, Topic<String, OracleHealth> topic,
                                 Supplier<List<Reported>> statuses) {
        this.topic = topic;
        this.statuses = statuses;
        TopicAdmin.ensure(kafka, replicationFactor, topic);
        Properties p = kafka.asProperties();
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "pessimism-oracle-status");
        this.producer = new KafkaProducer<>(p, topic.keySerde().serializer(), topic.valueSerde().serializer());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pessimism-oracle-status");
            t.setDaemon(true);
            return t;
        });
        this.host = hostName();
    }

    public OracleHealthPublisher start(Duration interval) {
        timer.scheduleAtFixedRate(this::publishQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Publishes every oracle's current status now. */
    public void publish() {
        publish(statuses.get());
    }

    /** Publishes these statuses now (e.g. the final one of an oracle that just stopped). */
    public void publish(List<Reported> reported) {
        for (Reported r : reported) {
            producer.send(new ProducerRecord<>(topic.name(), r.id().label(), toRecord(r)));
        }
        producer.flush();
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) { // the broker may be away for a while: the next tick tries again
            log.warn("could not publish oracle status to {}: {}", topic.name(), e.toString());
        }
    }

    OracleHealth toRecord(Reported reported) {
        OracleStatus s = reported.status();
        return OracleHealth.newBuilder()
                .setNetwork(reported.id().network().label())
                .setRegister(reported.id().register().name())
                .setTopic(s.topic())
                .setState(s.state().name())
                .setOracleHead(s.oracleHead())
                .setNodeHead(s.nodeHead())
                .setLag(s.lag())
                .setNodeErrors(s.nodeErrors())
                .setKafkaErrors(s.kafkaErrors())
                .setReorgs(s.reorgs())
                .setLastError(s.lastError().orElse(null))
                .setHost(host)
                .setUpdatedAt(s.updatedAt().toEpochMilli())
                .build();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Publishes a last status (the oracles' final state), then stops. */
    @Override
    public void close() {
        timer.shutdownNow();
        publishQuietly();
        producer.close(Duration.ofSeconds(5));
    }
}
