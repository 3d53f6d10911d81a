package io.pessimism.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.config.PessimismConfig;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import io.pessimism.topology.BranchCounters;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** What a configuration's settings make of every branch's Kafka Streams properties. */
class BranchSettingsTest {

    private final Topics topics = new Topics(new TopicNames("t"), InProcessSchemaRegistry.inMemory(), -1);

    @Test
    void everyBranchKeepsTheConfiguredStandbyReplicas() {
        assertThat(properties(Map.of()).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG)).as("the default").isEqualTo(0);
        assertThat(properties(Map.of("pipelines.standby-replicas", "2")).get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG))
                .isEqualTo(2);
    }

    @Test
    void everyBranchCommitsAtTheConfiguredIntervalAtMost100Ms() {
        assertThat(properties(Map.of()).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).as("the default").isEqualTo(100L);
        assertThat(properties(Map.of("pipelines.commit-interval", "20ms")).get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(20L);
        assertThatThrownBy(() -> PessimismConfig.defaults(Map.of("pipelines.commit-interval", "1s")))
                .hasMessageContaining("pipelines.commit-interval").hasMessageContaining("must be in 0s..100ms");
    }

    @Test
    void everyBranchsGroupMemberHasTheConfiguredSessionTimeout() {
        Properties defaults = properties(Map.of());
        assertThat(defaults.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)))
                .as("Kafka's default").isEqualTo(45_000);
        assertThat(defaults.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)))
                .as("Kafka's default").isEqualTo(3_000);
        Properties fast = properties(Map.of("pipelines.session-timeout", "6s"));
        assertThat(fast.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)))
                .isEqualTo(6_000);
        assertThat(fast.get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)))
                .as("a quarter of the timeout").isEqualTo(1_500);
        assertThat(fast).as("only the main consumer is in the group")
                .doesNotContainKey(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
    }

    private Properties properties(Map<String, String> settings) {
        BranchSettings branch = BranchSettings.from(PessimismConfig.defaults(settings));
        return BranchProperties.of(branch, topics, "t.live.layer1-event_log.layer1-geth_block", new BranchCounters());
    }
}
