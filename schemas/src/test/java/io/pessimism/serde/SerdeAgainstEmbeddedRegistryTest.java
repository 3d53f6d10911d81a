package io.pessimism.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.avro.MergedInto;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The serdes configured Kafka-style against the embedded registry's REST API. */
class SerdeAgainstEmbeddedRegistryTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static EmbeddedSchemaRegistry registry;

    private static final MergedInto MARKER = MergedInto.newBuilder()
            .setPuuid("p0").setTopic("pessimism.live.layer1-event_log.layer1-geth_block.out").setFromHeight(43).build();

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers()).storeTopic("serde._schemas").build().start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static Map<String, Object> config(Object... extra) {
        Map<String, Object> config = new HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));
        for (int i = 0; i < extra.length; i += 2) {
            config.put((String) extra[i], extra[i + 1]);
        }
        return config;
    }

    @Test
    void specificRecordsRoundTripAndRegisterUnderTheTopicsValueSubject() {
        SpecificAvroSerde<PipelineStatus> serde = new SpecificAvroSerde<>(PipelineStatus.class);
        serde.configure(config(), false);
        PipelineStatus status = PipelineStatus.newBuilder()
                .setPuuid("p0").setState(PipelineState.LIVE).setHeight(10L).setUpdatedAt(1L).build();

        byte[] bytes = serde.serializer().serialize("serde.pipeline-status", status);

        assertThat(serde.deserializer().deserialize("serde.pipeline-status", bytes)).isEqualTo(status);
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
        assertThat(client.latest("serde.pipeline-status-value").id()).isEqualTo(ByteBuffer.wrap(bytes, 1, 4).getInt());
    }

    @Test
    void keysUseTheKeySubject() {
        SpecificAvroSerde<MergedInto> serde = new SpecificAvroSerde<>(MergedInto.class);
        serde.configure(config(), true);

        byte[] bytes = serde.serializer().serialize("serde.keyed", MARKER);

        assertThat(serde.deserializer().deserialize("serde.keyed", bytes)).isEqualTo(MARKER);
        assertThat(new RestSchemaRegistryClient(registry.url()).subjects()).contains("serde.keyed-key");
    }

    @Test
    void genericRecordsRoundTripAndCanBeReadAsGeneratedClasses() {
        Schema schema = MergedInto.getClassSchema();
        GenericRecord record = new GenericData.Record(schema);
        record.put("puuid", "p0");
        record.put("topic", "t");
        record.put("fromHeight", 7L);
        GenericAvroSerde generic = new GenericAvroSerde();
        generic.configure(config(), false);

        byte[] bytes = generic.serializer().serialize("serde.generic", record);

        GenericRecord back = generic.deserializer().deserialize("serde.generic", bytes);
        assertThat(back.getSchema()).isEqualTo(schema);
        assertThat(back.get("puuid")).hasToString("p0");
        assertThat(back.get("fromHeight")).isEqualTo(7L);

        GenericAvroDeserializer specific = new GenericAvroDeserializer();
        specific.configure(config(AvroSerdeConfig.SPECIFIC_AVRO_READER, "true"), false);
        assertThat(specific.deserialize("serde.generic", bytes))
                .isEqualTo(MergedInto.newBuilder().setPuuid("p0").setTopic("t").setFromHeight(7).build());
    }

    @Test
    void aPlainAvroReaderDecodesOurBytesWithTheWriterSchemaFetchedOverRest() throws Exception {
        SpecificAvroSerializer<MergedInto> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config(), false);
        byte[] bytes = serializer.serialize("serde.interop", MARKER);

        assertThat(bytes[0]).isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(registry.url() + "/schemas/ids/" + id)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Schema writer = new Schema.Parser().parse(new ObjectMapper().readTree(response.body()).get("schema").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        assertThat(decoded.get("puuid")).hasToString("p0");
        assertThat(decoded.get("topic")).hasToString(MARKER.getTopic());
        assertThat(decoded.get("fromHeight")).isEqualTo(43L);
    }

    @Test
    void aRecordWrittenWithAnOlderSchemaReadsIntoTheCurrentClass() {
        // an earlier MergedInto without 'topic', and with a field the class has dropped
        Schema older = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"MergedInto\",\"namespace\":\"io.pessimism.avro\","
                + "\"fields\":[{\"name\":\"puuid\",\"type\":\"string\"},{\"name\":\"note\",\"type\":\"string\"},"
                + "{\"name\":\"topic\",\"type\":\"string\"},{\"name\":\"fromHeight\",\"type\":\"long\"}]}");
        GenericRecord old = new GenericData.Record(older);
        old.put("puuid", "p0");
        old.put("note", "dropped later");
        old.put("topic", "t");
        old.put("fromHeight", 5L);
        GenericAvroSerializer writer = new GenericAvroSerializer();
        writer.configure(config(), false);
        byte[] bytes = writer.serialize("serde.evolving", old);

        SpecificAvroDeserializer<MergedInto> reader = new SpecificAvroDeserializer<>(MergedInto.class);
        reader.configure(config(), false);

        assertThat(reader.deserialize("serde.evolving", bytes))
                .isEqualTo(MergedInto.newBuilder().setPuuid("p0").setTopic("t").setFromHeight(5).build());
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaFailsClearlyAndARegisteredOneIsUsed() {
        SpecificAvroSerializer<MergedInto> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        assertThatThrownBy(() -> serializer.serialize("serde.manual", MARKER))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("serde.manual-value")
                .hasMessageContaining("auto.register.schemas=false")
                .hasMessageContaining("40401");

        int id = new RestSchemaRegistryClient(registry.url()).register("serde.manual-value", MergedInto.getClassSchema());
        SpecificAvroSerializer<MergedInto> afterRegistration = new SpecificAvroSerializer<>();
        afterRegistration.configure(config(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);
        assertThat(ByteBuffer.wrap(afterRegistration.serialize("serde.manual", MARKER), 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void useLatestVersionWritesWithTheSubjectsLatestSchema() {
        Schema newer = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"MergedInto\",\"namespace\":\"io.pessimism.avro\","
                + "\"fields\":[{\"name\":\"puuid\",\"type\":\"string\"},{\"name\":\"topic\",\"type\":\"string\"},"
                + "{\"name\":\"fromHeight\",\"type\":\"long\"},{\"name\":\"reason\",\"type\":\"string\",\"default\":\"merge\"}]}");
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());
        client.register("serde.latest-value", MergedInto.getClassSchema());
        int latestId = client.register("serde.latest-value", newer);
        SpecificAvroSerializer<MergedInto> serializer = new SpecificAvroSerializer<>();
        serializer.configure(config(AvroSerdeConfig.USE_LATEST_VERSION, true, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);

        byte[] bytes = serializer.serialize("serde.latest", MARKER);

        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        GenericAvroDeserializer generic = new GenericAvroDeserializer();
        generic.configure(config(), false);
        GenericRecord read = generic.deserialize("serde.latest", bytes);
        assertThat(read.get("reason")).hasToString("merge");
        assertThat(read.get("fromHeight")).isEqualTo(43L);
    }

    @Test
    void kafkaClientsInstantiateTheSerdesFromTheirClassNames() {
        KAFKA.cluster().createTopic("serde.through-kafka");
        Map<String, Object> producerConfig = config(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, SpecificAvroSerializer.class.getName());
        try (KafkaProducer<String, MergedInto> producer = new KafkaProducer<>(producerConfig)) {
            producer.send(new ProducerRecord<>("serde.through-kafka", "43", MARKER));
            producer.send(new ProducerRecord<>("serde.through-kafka", "44", null));
        }
        Map<String, Object> consumerConfig = config(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "serde-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, SpecificAvroDeserializer.class.getName());
        List<ConsumerRecord<String, MergedInto>> seen = new ArrayList<>();
        try (KafkaConsumer<String, MergedInto> consumer = new KafkaConsumer<>(consumerConfig)) {
            consumer.subscribe(List.of("serde.through-kafka"));
            // the group's first assignment takes a moment; wait for both records rather than a fixed time
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.size() >= 2;
            });
        }
        assertThat(seen).extracting(ConsumerRecord::key).containsExactly("43", "44");
        assertThat(seen.get(0).value()).isEqualTo(MARKER);
        assertThat(seen.get(1).value()).isNull();
    }
}
