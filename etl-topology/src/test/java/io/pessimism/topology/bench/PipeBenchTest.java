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

/**
 * The pipe bench runs end to end on a small topic: the branch and both baselines in alternating
 * order, every pass's output checked (it throws otherwise); no timing is asserted.
 */
class PipeBenchTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Test
    void measuresTheBranchAgainstDecodeAndDropAndTheHandWrittenFilterAndChecksEveryPass() {
        try (var registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("pb").schemas()).replicationFactor(1).build().start()) {
            var printed = new ByteArrayOutputStream();

            var figures = PipeBench.run(KAFKA.bootstrapServers(), registry.url(), 200, 0, 2,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.out.print(printed.toString(StandardCharsets.UTF_8)); // the bench's lines, for the test's report

            assertThat(figures.blocks()).isEqualTo(200);
            assertThat(figures.records()).as("two watched logs per block, each emitted once").isEqualTo(400);
            assertThat(figures.drop()).hasSize(2).allMatch(p -> p.blocksPerSecond() > 0);
            assertThat(figures.filter()).hasSize(2).allMatch(p -> p.blocksPerSecond() > 0);
            assertThat(figures.branch()).hasSize(2).allMatch(p -> p.blocksPerSecond() > 0 && p.streamThreadBusy() > 0);
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .contains("round 1 (decode-and-drop first)").contains("round 2 (branch first)")
                    .contains("400 records each, the same").contains("branch/decode-and-drop")
                    .contains("branch/filter").contains("limited by").contains("load average");
        }
    }
}
