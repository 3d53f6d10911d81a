package io.pessimism.testkit.kafka;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same contract on the apache/kafka image; skipped where there is no Docker engine. */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersRoundTripTest extends KafkaRoundTripContract {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @Override
    protected String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
