package io.pessimism.topology.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bench runs end to end on a small topic and reports both rates; no timing is asserted. */
class PipeBenchTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Test
    void measuresBothApplicationsOnTheSameTopicAndPrintsTheRatio() {
        try (var registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("pb").schemas()).replicationFactor(1).build().start()) {
            var printed = new ByteArrayOutputStream();

            var result = new PipeBench(KAFKA.bootstrapServers(), registry.url(), 1)
                    .measure(200, new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(result.records()).isEqualTo(200);
            assertThat(result.matched()).as("two watched logs per block, each emitted once").isEqualTo(400);
            assertThat(result.passThroughPerSec()).isPositive();
            assertThat(result.branchPerSec()).isPositive();
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("pass-through").contains("event_log branch").contains("ratio");
        }
    }
}
