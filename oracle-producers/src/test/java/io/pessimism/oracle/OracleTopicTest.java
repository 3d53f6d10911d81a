package io.pessimism.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pessimism.avro.Block;
import io.pessimism.config.KafkaConnection;
import io.pessimism.network.Network;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class OracleTopicTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private Admin admin;

    @BeforeEach
    void connect() {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()));
    }

    @AfterEach
    void disconnect() {
        admin.close();
    }

    @Test
    void theTopicTheOracleCreatesHasTheDeclaredConfigsOnTheBroker() throws Exception {
        Topic<String, Block> topic = TestTopics.blocks("created", Network.LAYER1);
        try (Anvil anvil = Anvil.builder().start();
                GethBlockOracle oracle = new GethBlockOracle(
                        OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers()).build(),
                        topic)) {
            oracle.start();
            await("the oracle created its topic and follows the head").atMost(Duration.ofSeconds(30))
                    .until(() -> oracle.status().state() == OracleState.LIVE);
        }

        Map<String, String> configs = brokerConfigs(topic.name());
        assertThat(configs).containsEntry("retention.ms", "-1")
                .containsEntry("retention.bytes", "-1")
                .containsEntry("compression.type", "zstd")
                .containsEntry("max.message.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES))
                .containsEntry("cleanup.policy", "delete");
        assertThat(admin.describeTopics(List.of(topic.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                .get(topic.name()).partitions()).hasSize(1);
        // the broker reports every declared value as declared, so a restart warns about nothing
        assertThat(OracleTopic.ensure(KafkaConnection.plaintext(KAFKA.bootstrapServers()), topic, (short) -1)).isEmpty();
    }

    @Test
    void aPreExistingTopicWithAnotherRetentionIsKeptAndWarnedAbout() throws Exception {
        Topic<String, Block> topic = TestTopics.blocks("drifted", Network.LAYER1);
        Map<String, String> drifted = new HashMap<>(topic.configs());
        drifted.put("retention.ms", "1000");
        admin.createTopics(List.of(new NewTopic(topic.name(), Optional.of(1), Optional.empty()).configs(drifted)))
                .all().get(30, TimeUnit.SECONDS);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(OracleTopic.class);
        logged.start();
        logger.addAppender(logged);
        List<ConfigDifference> differences;
        try {
            differences = OracleTopic.ensure(KafkaConnection.plaintext(KAFKA.bootstrapServers()), topic, (short) -1);
        } finally {
            logger.detachAppender(logged);
        }

        assertThat(differences).containsExactly(new ConfigDifference(topic.name(), "retention.ms", "1000", "-1"));
        assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(differences.get(0).message());
        // warned, not altered: the topic's owner decides
        assertThat(brokerConfigs(topic.name())).containsEntry("retention.ms", "1000");
    }

    @Test
    void aPreExistingTopicWithSeveralPartitionsIsRefused() throws Exception {
        Topic<String, Block> topic = TestTopics.blocks("split", Network.LAYER1);
        admin.createTopics(List.of(new NewTopic(topic.name(), Optional.of(3), Optional.empty())))
                .all().get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> OracleTopic.ensure(KafkaConnection.plaintext(KAFKA.bootstrapServers()), topic, (short) -1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("topic " + topic.name() + " has 3 partitions");
    }

    private Map<String, String> brokerConfigs(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        Map<String, String> values = new HashMap<>();
        config.entries().forEach(e -> values.put(e.name(), e.value()));
        return values;
    }
}
