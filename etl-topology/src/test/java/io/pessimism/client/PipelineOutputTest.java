package io.pessimism.client;

import static io.pessimism.topology.TestBlocks.block;
import static io.pessimism.topology.TestBlocks.retraction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.BacktestEnd;
import io.pessimism.avro.Block;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.avro.MergedInto;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The risk engine's reader of a pipeline's output follows a merge marker without losing or repeating a record. */
class PipelineOutputTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private final Topics topics = new Topics(new TopicNames("po"), InProcessSchemaRegistry.inMemory(), -1);

    private static GethBlockOutput data(Block block) {
        Envelope envelope = Envelope.newBuilder().setPuuid("p").setPipelinePid("pid").setNetwork("layer1")
                .setRegister("geth_block").setOriginTs(1).setTimestamp(1).setBlockNumber(block.getNumber())
                .setBlockHash(block.getHash()).setRemoved(block.getRemoved()).build();
        return GethBlockOutput.newBuilder().setEnvelope(envelope).setValue(block).build();
    }

    private static GethBlockOutput marker(long height, MergedInto into, BacktestEnd end) {
        Envelope envelope = data(block(height)).getEnvelope();
        return GethBlockOutput.newBuilder().setEnvelope(envelope).setValue(null).setMergedInto(into)
                .setBacktestEnd(end).build();
    }

    private void write(Topic<String, GethBlockOutput> topic, List<GethBlockOutput> records) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), topic.valueSerde().serializer())) {
            for (GethBlockOutput record : records) {
                producer.send(new ProducerRecord<>(topic.name(),
                        Long.toString(record.getEnvelope().getBlockNumber()), record));
            }
            producer.flush();
        }
    }

    private List<Long> readAll(PipelineOutput<GethBlockOutput> reader, int count) {
        List<Long> heights = new ArrayList<>();
        await("the reader has read " + count + " records").atMost(Duration.ofSeconds(30)).until(() -> {
            reader.poll(Duration.ofMillis(200)).forEach(o -> heights.add(o.getEnvelope().getBlockNumber()));
            return heights.size() >= count;
        });
        return heights;
    }

    @Test
    void aReaderOfAMergedPipelineReadsItThroughTheFenceThenTheSharedOneFromTheFenceOnOnce() throws Exception {
        var p1 = topics.out("po.live.layer1-geth_block.layer1-geth_block.aaaa", GethBlockOutput.class);
        var p0 = topics.out("po.live.layer1-geth_block.layer1-geth_block", GethBlockOutput.class);
        TopicAdmin.ensure(KAFKA.cluster().admin(), (short) 1, p1, p0);
        MergedInto into = MergedInto.newBuilder().setPuuid("p0").setTopic(p0.name()).setFromHeight(11).build();
        List<GethBlockOutput> first = new ArrayList<>();
        for (long n = 5; n <= 10; n++) {
            first.add(data(block(n)));
        }
        first.add(marker(10, into, null));
        write(p1, first);
        List<GethBlockOutput> shared = new ArrayList<>();
        for (long n = 1; n <= 3000; n++) { // long enough for the search to matter
            shared.add(data(block(n % 2000 == 0 ? 1999 : n)));
        }
        shared.add(data(retraction(block(3000))));
        write(p0, shared);

        try (var reader = PipelineOutput.open(KAFKA.bootstrapServers(), p1.name(),
                topics.valueSerde(GethBlockOutput.class).deserializer(), GethBlockOutput.class)) {
            // 11..3000 of the shared topic (one of them a dip to 1999), and the retraction of 3000
            List<Long> heights = readAll(reader, 6 + 2991);
            assertThat(reader.poll(Duration.ofMillis(500))).as("nothing more").isEmpty();
            assertThat(heights.subList(0, 6)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(heights.subList(6, 12)).as("the shared pipeline from the fence on, nothing before it")
                    .containsExactly(11L, 12L, 13L, 14L, 15L, 16L);
            assertThat(heights).as("each record once").hasSize(6 + 2991);
            assertThat(heights.subList(6, heights.size())).as("the shared topic's records in order")
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(11, 3000).mapToObj(n -> n == 2000 ? 1999L : n)
                            .collect(java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(),
                                    l -> { l.add(3000L); return l; })));
            assertThat(heights).doesNotContain(1L, 2L, 3L, 4L);
            assertThat(reader.topic()).isEqualTo(p0.name());
            assertThat(reader.followed()).containsExactly(into);
        }
    }

    @Test
    void aBacktestsEndMarkerEndsTheReading() throws Exception {
        var out = topics.out("po.backtest.layer1-geth_block.layer1-geth_block.bbbb", GethBlockOutput.class);
        TopicAdmin.ensure(KAFKA.cluster().admin(), (short) 1, out);
        BacktestEnd end = BacktestEnd.newBuilder().setPuuid("b").setStartHeight(5).setEndHeight(7).setRecords(3).build();
        write(out, List.of(data(block(5)), data(block(6)), data(block(7)), marker(7, null, end)));

        try (var reader = PipelineOutput.open(KAFKA.bootstrapServers(), out.name(),
                topics.valueSerde(GethBlockOutput.class).deserializer(), GethBlockOutput.class)) {
            assertThat(readAll(reader, 3)).containsExactly(5L, 6L, 7L);
            await("the end marker is read").atMost(Duration.ofSeconds(10)).until(() -> {
                reader.poll(Duration.ofMillis(100));
                return reader.ended();
            });
            assertThat(reader.poll(Duration.ofMillis(100))).isEmpty();
        }
    }
}
