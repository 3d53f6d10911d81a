package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PipelineOutput;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A risk engine reading a merged backfill's event_log output with {@link PipelineOutput}, which follows the marker. */
final class MergedOutput {

    private MergedOutput() {
    }

    /**
     * Reads {@code topic} and the pipeline its marker names until {@code owner}'s records include
     * {@code last}; checks the marker was followed once, into {@code mergedInto}, and that nothing
     * follows {@code last}. Returns {@code owner}'s records, in the order read.
     */
    static List<ChainLog> readThrough(String bootstrapServers, Topics topics, String topic, String owner,
            ChainLog last, String mergedInto, Duration atMost) {
        List<ChainLog> read = new ArrayList<>();
        try (var output = PipelineOutput.open(bootstrapServers, topic,
                topics.valueSerde(EventLogOutput.class).deserializer(), EventLogOutput.class)) {
            await("the reader of " + topic + " has every event up to the last").atMost(atMost).until(() -> {
                for (EventLogOutput record : output.poll(Duration.ofMillis(200))) {
                    if (record.getEnvelope().getOwners().contains(owner)) {
                        read.add(ChainLog.of(record.getValue()));
                    }
                }
                return read.contains(last);
            });
            assertThat(output.followed()).singleElement()
                    .satisfies(marker -> assertThat(marker.getPuuid()).isEqualTo(mergedInto));
            assertThat(output.poll(Duration.ofSeconds(1))).as("nothing after the last event").isEmpty();
        }
        return read;
    }
}
