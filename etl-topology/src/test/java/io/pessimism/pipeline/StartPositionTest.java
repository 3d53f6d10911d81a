package io.pessimism.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Start offsets by binary search over a block topic with commit markers and aborted records. */
class StartPositionTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static final String TOPIC = "sp.layer1.geth_block";
    private static Admin admin;
    private static StartPosition position;
    /** The offset of each height's committed record. */
    private static final Map<Long, Long> OFFSETS = new java.util.HashMap<>();

    @BeforeAll
    static void fill() throws Exception {
        KAFKA.cluster().createTopic(TOPIC);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sp-oracle");
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            for (long n = 1; n <= 40; n++) {
                if (n % 7 == 0) { // an aborted attempt first: its record and marker occupy offsets
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(TOPIC, Long.toString(n), new byte[] {1})).get();
                    producer.abortTransaction();
                }
                producer.beginTransaction();
                long offset = producer.send(new ProducerRecord<>(TOPIC, Long.toString(n), new byte[] {2})).get().offset();
                producer.commitTransaction();
                OFFSETS.put(n, offset);
            }
        }
        admin = KAFKA.cluster().admin();
        position = new StartPosition(admin, KAFKA.bootstrapServers());
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void aNewGroupStartsAtTheFirstCommittedBlockAtOrAboveTheStartHeight() throws Exception {
        for (long height : List.of(1L, 2L, 7L, 8L, 21L, 28L, 40L)) {
            String group = "sp-new-" + height;
            var start = position.initialize(group, List.of(TOPIC), height);
            assertThat(start).as("height %d", height).containsEntry(new TopicPartition(TOPIC, 0), OFFSETS.get(height));
            assertThat(committed(group)).isEqualTo(OFFSETS.get(height));
        }
    }

    @Test
    void onAHundredThousandBlocksThatShareOneTimestampTheSearchLandsOnTheExactHeight() throws Exception {
        String topic = "sp-big.layer1.geth_block";
        KAFKA.cluster().createTopic(topic);
        long sameTime = 1_700_000_000_000L; // a timestamp index could not tell these blocks apart
        long[] offsets = new long[100_001];
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sp-big-oracle");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent =
                    new java.util.ArrayList<>();
            for (int batch = 0; batch < 100; batch++) { // 100 transactions of 1,000 blocks, as a backfill writes
                producer.beginTransaction();
                for (int i = 1; i <= 1000; i++) {
                    long n = batch * 1000L + i;
                    sent.add(producer.send(new ProducerRecord<>(topic, 0, sameTime, Long.toString(n), new byte[] {3})));
                }
                producer.commitTransaction();
            }
            for (int i = 0; i < sent.size(); i++) {
                offsets[i + 1] = sent.get(i).get().offset();
            }
        }
        for (long height : List.of(1L, 999L, 1_000L, 1_001L, 50_000L, 77_777L, 99_999L, 100_000L)) {
            var start = position.initialize("sp-big-" + height, List.of(topic), height);
            assertThat(start).as("height %d", height).containsEntry(new TopicPartition(topic, 0), offsets[(int) height]);
        }
    }

    @Test
    void aHeightTheTopicDoesNotReachYetStartsAtItsEnd() throws Exception {
        long end = admin.listOffsets(Map.of(new TopicPartition(TOPIC, 0),
                org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get().get(new TopicPartition(TOPIC, 0)).offset();

        assertThat(position.initialize("sp-ahead", List.of(TOPIC), 1_000L)).containsValue(end);
        assertThat(position.initialize("sp-no-height", List.of(TOPIC), null)).containsValue(end);
    }

    @Test
    void aGroupWithCommittedOffsetsResumesWhereItCommitted() throws Exception {
        admin.alterConsumerGroupOffsets("sp-resumed", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)))
                .all().get();

        assertThat(position.initialize("sp-resumed", List.of(TOPIC), 30L)).isEmpty();
        assertThat(committed("sp-resumed")).isEqualTo(3);
    }

    @Test
    void aKeyThatIsNotABlockNumberIsAnErrorNamingTheRecord() throws Exception {
        KAFKA.cluster().createTopic("sp.bad");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("sp.bad", "block-one", new byte[] {1})).get();
        }

        assertThatThrownBy(() -> position.initialize("sp-bad", List.of("sp.bad"), 5L))
                .hasMessageContaining("sp.bad-0@0").hasMessageContaining("\"block-one\"");
    }

    private static long committed(String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition(TOPIC, 0)).offset();
    }
}
