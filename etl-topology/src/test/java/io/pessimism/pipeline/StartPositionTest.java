package io.pessimism.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import io.pessimism.config.KafkaConnection;
import io.pessimism.network.Network;
import io.pessimism.serde.PlainAvroSerde;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import io.pessimism.topology.BranchSource;
import io.pessimism.topology.TestBlocks;
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
import org.apache.kafka.common.serialization.Serdes;
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
        position = new StartPosition(admin, KafkaConnection.plaintext(KAFKA.bootstrapServers()));
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    @Test
    void aNewGroupStartsAtTheFirstCommittedBlockAtOrAboveTheStartHeight() throws Exception {
        for (long height : List.of(1L, 2L, 7L, 8L, 21L, 28L, 40L)) {
            String group = "sp-new-" + height;
            var start = position.initialize(group, sources(TOPIC), height);
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
            var start = position.initialize("sp-big-" + height, sources(topic), height);
            assertThat(start).as("height %d", height).containsEntry(new TopicPartition(topic, 0), offsets[(int) height]);
        }
    }

    @Test
    void aHeightTheTopicDoesNotReachYetStartsAtItsEnd() throws Exception {
        long end = admin.listOffsets(Map.of(new TopicPartition(TOPIC, 0),
                org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get().get(new TopicPartition(TOPIC, 0)).offset();

        assertThat(position.initialize("sp-ahead", sources(TOPIC), 1_000L)).containsValue(end);
        assertThat(position.initialize("sp-no-height", sources(TOPIC), null)).containsValue(end);
    }

    @Test
    void aGroupWithCommittedOffsetsResumesWhereItCommitted() throws Exception {
        admin.alterConsumerGroupOffsets("sp-resumed", Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3)))
                .all().get();

        assertThat(position.initialize("sp-resumed", sources(TOPIC), 30L)).isEmpty();
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

        assertThatThrownBy(() -> position.initialize("sp-bad", sources("sp.bad"), 5L))
                .hasMessageContaining("sp.bad-0@0").hasMessageContaining("\"block-one\"");
    }

    @Test
    void aSourceOnAnotherNetworkStartsAtItsFirstBlockAfterTheTriggersPreviousBlockTime() throws Exception {
        // layer1 (trigger) every 12 s; layer2 every 2 s, with its block times crossing layer1's
        Topic<String, Block> l1 = blockTopic("sp-x.layer1.geth_block");
        Topic<String, Block> l2 = blockTopic("sp-x.layer2.geth_block");
        Map<Long, Long> l2Offsets = new java.util.HashMap<>();
        Map<Long, Long> l2Times = new java.util.HashMap<>();
        try (var producer = new KafkaProducer<>(producerProps(), new StringSerializer(), l1.valueSerde().serializer())) {
            for (long n = 1; n <= 20; n++) {
                producer.send(new ProducerRecord<>(l1.name(), Long.toString(n), onLayer("layer1", n, 1_000 + n * 12))).get();
            }
            for (long n = 1; n <= 120; n++) {
                long time = 1_001 + n * 2;
                l2Times.put(n, time);
                l2Offsets.put(n, producer.send(new ProducerRecord<>(l2.name(), Long.toString(n),
                        onLayer("layer2", n, time))).get().offset());
            }
        }
        List<BranchSource> sources = List.of(new BranchSource(l1, Network.LAYER1, true),
                new BranchSource(l2, Network.LAYER2, false));

        for (long height : List.of(2L, 5L, 9L)) {
            var start = position.initialize("sp-x-" + height, sources, height);
            long previousTriggerTime = 1_000 + (height - 1) * 12;
            long firstAfter = l2Times.entrySet().stream().filter(e -> e.getValue() > previousTriggerTime)
                    .mapToLong(Map.Entry::getKey).min().orElseThrow();
            assertThat(start).as("height %d", height)
                    .containsEntry(new TopicPartition(l1.name(), 0), height - 1) // offsets from 0: block n at n - 1
                    .containsEntry(new TopicPartition(l2.name(), 0), l2Offsets.get(firstAfter));
        }
        // the trigger topic does not hold startHeight - 1: from the time of startHeight's own block
        var first = position.initialize("sp-x-first", sources, 1L);
        assertThat(first).containsEntry(new TopicPartition(l2.name(), 0), l2Offsets.get(6L)); // 1,013: first at or after 1,012
    }

    @Test
    void aSourceOnAnotherNetworkThatIsNotBlocksIsAnErrorNamingTheRecord() throws Exception {
        Topic<String, Block> l1 = blockTopic("sp-y.layer1.geth_block");
        KAFKA.cluster().createTopic("sp-y.layer2.other");
        try (var producer = new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(l1.name(), "1", l1.valueSerde().serializer().serialize(l1.name(),
                    onLayer("layer1", 1, 1_012)))).get();
            producer.send(new ProducerRecord<>("sp-y.layer2.other", "1", new byte[] {1})).get();
        }
        var other = new Topic<>("sp-y.layer2.other", Serdes.String(), Serdes.ByteArray(), 1, Map.of());
        List<BranchSource> sources = List.of(new BranchSource(l1, Network.LAYER1, true),
                new BranchSource(other, Network.LAYER2, false));

        assertThatThrownBy(() -> position.initialize("sp-y", sources, 1L))
                .hasMessageContaining("sp-y.layer2.other-0@0").hasMessageContaining("no block time");
    }

    private static Topic<String, Block> blockTopic(String name) {
        KAFKA.cluster().createTopic(name);
        return new Topic<>(name, Serdes.String(), new PlainAvroSerde<>(Block.class), 1, Map.of());
    }

    private static Block onLayer(String network, long number, long time) {
        return Block.newBuilder(TestBlocks.block(number)).setNetwork(network).setTimestamp(time).build();
    }

    private static Properties producerProps() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        return props;
    }

    /** Sources on one network: their records are placed by height only, so their values are never read. */
    private static List<BranchSource> sources(String topic) {
        return List.of(new BranchSource(new Topic<>(topic, Serdes.String(), Serdes.ByteArray(), 1, Map.of()),
                Network.LAYER1, true));
    }

    private static long committed(String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition(TOPIC, 0)).offset();
    }
}
