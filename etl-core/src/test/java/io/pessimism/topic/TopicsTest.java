package io.pessimism.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.network.Network;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TopicsTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private final Topics topics = new Topics(new TopicNames("tt"), InProcessSchemaRegistry.inMemory(), -1);

    @Test
    void namesComeFromTopicNamesAndConfigsSayHowEachTopicIsKept() {
        assertThat(topics.blocks(Network.LAYER1).name()).isEqualTo("tt.layer1.geth_block");
        assertThat(topics.blocks(Network.LAYER1).configs())
                .containsEntry("retention.ms", "-1").containsEntry("compression.type", "zstd")
                .containsEntry("cleanup.policy", "delete").containsEntry("retention.bytes", "-1");
        assertThat(topics.blocks(Network.LAYER1).partitions()).isEqualTo(1);
        assertThat(topics.pipelines().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.state().configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.pipelineCommands().configs()).doesNotContainKey("cleanup.policy");
        assertThat(topics.pipelineReplies().name()).isEqualTo("tt.pipeline-replies");
        assertThat(topics.out("tt.live.layer1-event_log.layer1-geth_block", EventLogOutput.class).name())
                .isEqualTo("tt.live.layer1-event_log.layer1-geth_block.out");
    }

    @Test
    void ensureCreatesMissingTopicsWithTheirConfigsAndLeavesExistingOnes() throws Exception {
        Topic<String, PipelineSpec> specs = topics.pipelines();
        try (Admin admin = KAFKA.cluster().admin()) {
            TopicAdmin.ensure(admin, (short) 1, specs, topics.blocks(Network.LAYER2));
            TopicAdmin.ensure(admin, (short) 1, specs); // idempotent

            assertThat(admin.listTopics().names().get()).contains("tt.pipelines", "tt.layer2.geth_block");
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, "tt.pipelines");
            var config = admin.describeConfigs(Set.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void serdesRoundTripThroughTheRegistry() {
        var serde = topics.pipelines().valueSerde();
        PipelineSpec spec = PipelineSpec.newBuilder()
                .setPuuid("p").setPid("pid").setPrefix("tt.x").setNetwork("layer1")
                .setType(io.pessimism.avro.PipelineType.LIVE).setRegister("event_log")
                .setDesiredState(io.pessimism.avro.DesiredState.RUNNING).setCreatedAt(1L).build();
        byte[] bytes = serde.serializer().serialize("tt.pipelines", spec);
        assertThat(serde.deserializer().deserialize("tt.pipelines", bytes)).isEqualTo(spec);
    }
}
