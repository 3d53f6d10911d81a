package io.pessimism.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The embedded registry over a real (in-JVM) Kafka, spoken to through its REST API. */
class EmbeddedSchemaRegistryTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static final Schema V1 = record("{\"name\":\"a\",\"type\":\"int\"}");
    private static final Schema V2_WITH_DEFAULT = record("{\"name\":\"a\",\"type\":\"int\"},"
            + "{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}");
    private static final Schema A_AS_STRING = record("{\"name\":\"a\",\"type\":\"string\"}");
    /** Reads V2's data (b present) but not V1's (b missing, no default). */
    private static final Schema ONLY_B_NO_DEFAULT = record("{\"name\":\"b\",\"type\":\"string\"}");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String storeTopic;
    private EmbeddedSchemaRegistry registry;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() {
        // as TopicNames.schemas() spells it for namespace test-<id> (etl-core is downstream of this module)
        storeTopic = "test-" + UUID.randomUUID().toString().substring(0, 8) + "._schemas";
        registry = startRegistry();
        client = new RestSchemaRegistryClient(registry.url());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private EmbeddedSchemaRegistry startRegistry() {
        return EmbeddedSchemaRegistry.builder()
                .bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(storeTopic)
                .build()
                .start();
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Sample\",\"namespace\":\"io.pessimism.test\","
                + "\"fields\":[" + fields + "]}");
    }

    @Test
    void keepsItsStateInTheCompactedStoreTopicItIsGivenNotInTheBareSchemasTopic() throws Exception {
        try (Admin admin = KAFKA.cluster().admin()) {
            Set<String> topics = admin.listTopics().names().get();
            assertThat(topics).contains(storeTopic).doesNotContain("_schemas");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, storeTopic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(storeTopic)).allTopicNames().get()
                    .get(storeTopic).partitions()).hasSize(1);
        }
    }

    @Test
    void theSameSchemaGetsTheSameIdUnderAnySubject() {
        int first = client.register("a-value", V1);
        int again = client.register("a-value", V1);
        int other = client.register("b-value", V1);

        assertThat(again).isEqualTo(first);
        assertThat(other).isEqualTo(first);
        assertThat(client.versions("a-value")).containsExactly(1);
        assertThat(client.versions("b-value")).containsExactly(1);
        assertThat(client.subjects()).containsExactly("a-value", "b-value");
        assertThat(client.lookup("b-value", V1)).isEqualTo(new SchemaVersion("b-value", 1, first, V1));
    }

    @Test
    void aCompatibleChangeBecomesANewVersionAndAnIncompatibleOneIsRefusedWith409() throws Exception {
        int v1 = client.register("s-value", V1);
        int v2 = client.register("s-value", V2_WITH_DEFAULT);

        assertThat(v2).isNotEqualTo(v1);
        assertThat(client.versions("s-value")).containsExactly(1, 2);
        assertThat(client.latest("s-value")).isEqualTo(new SchemaVersion("s-value", 2, v2, V2_WITH_DEFAULT));

        JsonNode check = post("/compatibility/subjects/s-value/versions/latest", schemaBody(A_AS_STRING)).body;
        assertThat(check.get("is_compatible").asBoolean()).isFalse();
        assertThat(client.checkCompatibility("s-value", A_AS_STRING).compatible()).isFalse();

        Reply refused = post("/subjects/s-value/versions", schemaBody(A_AS_STRING));
        assertThat(refused.status).isEqualTo(409);
        assertThat(refused.body.get("error_code").asInt()).isEqualTo(409);
        assertThat(refused.body.get("message").asText()).contains("incompatible", "TYPE_MISMATCH", "/fields/0/type");
        assertThat(client.versions("s-value")).containsExactly(1, 2);
    }

    @Test
    void backwardTransitiveChecksEveryVersionNotOnlyTheLatest() throws Exception {
        assertThat(client.globalCompatibility()).isEqualTo(CompatibilityLevel.BACKWARD_TRANSITIVE);
        client.register("s-value", V1);
        client.register("s-value", V2_WITH_DEFAULT);

        assertThatThrownBy(() -> client.register("s-value", ONLY_B_NO_DEFAULT))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.getMessage()).contains("version 1").doesNotContain("version 2");
                });
        JsonNode againstV2 = post("/compatibility/subjects/s-value/versions/2", schemaBody(ONLY_B_NO_DEFAULT)).body;
        assertThat(againstV2.get("is_compatible").asBoolean()).isTrue();

        client.setCompatibility("s-value", CompatibilityLevel.BACKWARD);
        assertThat(client.register("s-value", ONLY_B_NO_DEFAULT)).isPositive();
        assertThat(client.versions("s-value")).containsExactly(1, 2, 3);
    }

    @Test
    void aRestartedRegistryKeepsIdsVersionsAndConfigs() {
        int idV1 = client.register("s-value", V1);
        int idV2 = client.register("s-value", V2_WITH_DEFAULT);
        int idOther = client.register("t-value", A_AS_STRING);
        client.setCompatibility("t-value", CompatibilityLevel.NONE);
        client.setGlobalCompatibility(CompatibilityLevel.FULL);
        client.register("gone-value", V1);
        client.deleteSubject("gone-value");

        registry.close();
        registry = startRegistry();
        RestSchemaRegistryClient fresh = new RestSchemaRegistryClient(registry.url());

        assertThat(fresh.subjects()).containsExactly("s-value", "t-value");
        assertThat(fresh.version("s-value", 1)).isEqualTo(new SchemaVersion("s-value", 1, idV1, V1));
        assertThat(fresh.version("s-value", 2)).isEqualTo(new SchemaVersion("s-value", 2, idV2, V2_WITH_DEFAULT));
        assertThat(fresh.schemaById(idOther)).isEqualTo(A_AS_STRING);
        assertThat(fresh.globalCompatibility()).isEqualTo(CompatibilityLevel.FULL);
        assertThat(fresh.compatibility("t-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(fresh.compatibility("s-value")).isEqualTo(CompatibilityLevel.FULL);
        // ids keep counting from where they were, and a known schema keeps its id
        assertThat(fresh.register("u-value", V1)).isEqualTo(idV1);
        assertThat(fresh.register("u-value", V2_WITH_DEFAULT)).isEqualTo(idV2);
        Schema brandNew = record("{\"name\":\"c\",\"type\":\"long\"}");
        assertThat(fresh.register("v-value", brandNew)).isGreaterThan(Math.max(idV1, Math.max(idV2, idOther)));
    }

    @Test
    void deletingASubjectSoftDeletesItsVersionsButKeepsIdsResolvable() {
        int id = client.register("d-value", V1);

        assertThat(client.deleteSubject("d-value")).containsExactly(1);
        assertThat(client.subjects()).doesNotContain("d-value");
        assertThat(client.schemaById(id)).isEqualTo(V1);
        assertThatThrownBy(() -> client.versions("d-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
        // a re-registration continues the version numbers instead of reusing them
        client.register("d-value", V1);
        assertThat(client.versions("d-value")).containsExactly(2);
    }

    @Test
    void errorsCarryConfluentStatusesAndCodes() throws Exception {
        client.register("s-value", V1);

        assertError(get("/schemas/ids/999"), 404, 40403);
        assertError(get("/subjects/nope-value/versions"), 404, 40401);
        assertError(get("/subjects/s-value/versions/7"), 404, 40402);
        assertError(get("/subjects/s-value/versions/zero"), 422, 42202);
        assertError(post("/subjects/nope-value", schemaBody(V1)), 404, 40401);
        assertError(post("/subjects/s-value", schemaBody(V2_WITH_DEFAULT)), 404, 40403);
        assertError(post("/subjects/s-value/versions", "{\"schema\": \"{\\\"type\\\": \\\"recrod\\\"}\"}"), 422, 42201);
        assertError(post("/subjects/s-value/versions", "{\"nothing\": 1}"), 422, 42201);
        assertError(put("/config", "{\"compatibility\": \"SIDEWAYS\"}"), 422, 42203);
        assertError(get("/config/s-value"), 404, 40408);

        Reply malformed = post("/subjects/s-value/versions", "{\"schema\": ");
        assertError(malformed, 400, 400);
        assertThat(malformed.body.get("message").asText()).contains("not valid JSON").doesNotContain("at io.pessimism");
    }

    @Test
    void theClientTurnsErrorsIntoTypedExceptions() {
        assertThatThrownBy(() -> client.schemaById(4242))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND);
                    assertThat(e.getMessage()).contains("/schemas/ids/4242");
                });
        assertThatThrownBy(() -> client.latest("missing-value"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND));
    }

    @Test
    void configCanBeReadAndChangedPerSubjectAndGlobally() throws Exception {
        assertThat(get("/config").body.get("compatibilityLevel").asText()).isEqualTo("BACKWARD_TRANSITIVE");

        Reply put = put("/config/s-value", "{\"compatibility\": \"forward\"}");
        assertThat(put.status).isEqualTo(200);
        assertThat(put.body.get("compatibility").asText()).isEqualTo("FORWARD");
        assertThat(get("/config/s-value").body.get("compatibilityLevel").asText()).isEqualTo("FORWARD");
        assertThat(get("/config/other-value?defaultToGlobal=true").body.get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD_TRANSITIVE");
    }

    private record Reply(int status, JsonNode body) {
    }

    private void assertError(Reply reply, int status, int errorCode) {
        assertThat(reply.status).as("HTTP status of %s", reply.body).isEqualTo(status);
        assertThat(reply.body.get("error_code").asInt()).as("error_code of %s", reply.body).isEqualTo(errorCode);
        assertThat(reply.body.get("message").asText()).isNotBlank();
    }

    private String schemaBody(Schema schema) {
        return json.createObjectNode().put("schema", schema.toString()).toString();
    }

    private Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).GET());
    }

    private Reply post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Reply put(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(registry.url() + path)).PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    private Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(
                request.header("Content-Type", "application/vnd.schemaregistry.v1+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).contains("application/vnd.schemaregistry.v1+json");
        return new Reply(response.statusCode(), json.readTree(response.body()));
    }
}
