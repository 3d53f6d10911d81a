package io.pessimism.testkit.kafka;

import org.junit.jupiter.api.extension.RegisterExtension;

class KraftRoundTripTest extends KafkaRoundTripContract {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Override
    protected String bootstrapServers() {
        return KAFKA.bootstrapServers();
    }
}
