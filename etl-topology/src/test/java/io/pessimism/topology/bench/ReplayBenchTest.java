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

/** The replay bench runs end to end on a small topic, checks each backtest round's output and reports; no timing is asserted. */
class ReplayBenchTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Test
    void measuresTheBacktestAndThePlainConsumerOnTheSameBlocksAndChecksEveryRound() {
        try (var registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("rb").schemas()).replicationFactor(1).build().start()) {
            var printed = new ByteArrayOutputStream();

            var figures = ReplayBench.run(KAFKA.bootstrapServers(), registry.url(), 300, 0, 2,
                    new PrintStream(printed, true, StandardCharsets.UTF_8));

            assertThat(figures.blocks()).isEqualTo(300);
            assertThat(figures.records()).as("two watched logs per block, each once").isEqualTo(600);
            assertThat(figures.consumerRounds()).hasSize(2).allMatch(r -> r > 0);
            assertThat(figures.backtestRounds()).hasSize(2).allMatch(r -> r > 0);
            assertThat(figures.streamThreadBusy()).as("the backtest's stream thread's CPU over its wall time")
                    .hasSize(2).allMatch(b -> b > 0 && b < 1.5);
            assertThat(printed.toString(StandardCharsets.UTF_8)).contains("filling").contains("round 2")
                    .contains("ratio of medians").contains("core-s").contains("load average before the passes");
        }
    }
}
