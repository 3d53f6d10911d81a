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

/** The aggregate bench runs end to end on small topics, checks each round's output and reports; no timing is asserted. */
class AggregateBenchTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Test
    void measuresTheAggregatorAndThePassThroughOnTheSameBlocksAndChecksEveryRound() {
        try (var registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("ab").schemas()).replicationFactor(1).build().start()) {
            var printed = new ByteArrayOutputStream();

            var figures = AggregateBench.run(KAFKA.bootstrapServers(), registry.url(), 200, 0, 2,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(figures.tuples()).isEqualTo(200);
            assertThat(figures.passThroughRounds()).hasSize(2).allMatch(r -> r > 0);
            assertThat(figures.aggregatorRounds()).hasSize(2).allMatch(r -> r > 0);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("filling").contains("round 2")
                    .contains("200 tuples, checked").contains("ratio of medians").contains("load average");
        }
    }
}
