package io.pessimism.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the REST client caches, counted at the server: an id and a (subject, schema) pair are
 * asked for once per client; mutable answers and errors are asked for every time.
 */
class RestSchemaRegistryClientCacheTest {

    private static final Schema V1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Sample\","
            + "\"namespace\":\"io.pessimism.test\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");

    private EmbeddedSchemaRegistry registry;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.builder().inMemory().build().start();
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void registeringTheSameSchemaUnderTheSameSubjectAgainAsksOnce() {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());

        int id = client.register("a-value", V1);
        assertThat(registry.requestCount()).isEqualTo(1);
        for (int i = 0; i < 20; i++) {
            assertThat(client.register("a-value", V1)).isEqualTo(id);
        }
        assertThat(registry.requestCount()).as("repeated registrations answered from the cache").isEqualTo(1);

        assertThat(client.register("b-value", V1)).isEqualTo(id);
        assertThat(registry.requestCount()).as("another subject is another registration").isEqualTo(2);
        assertThat(client.schemaById(id)).isEqualTo(V1);
        assertThat(registry.requestCount()).as("the id's schema is known from registering it").isEqualTo(2);
    }

    @Test
    void lookingUpTheSameSchemaAgainAsksOnce() {
        registry.registry().register("a-value", V1);
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());

        SchemaVersion found = client.lookup("a-value", V1);
        for (int i = 0; i < 20; i++) {
            assertThat(client.lookup("a-value", V1)).isEqualTo(found);
        }
        assertThat(client.register("a-value", V1)).as("a looked-up pair needs no registration").isEqualTo(found.id());
        assertThat(registry.requestCount()).isEqualTo(1);
    }

    @Test
    void aSchemaIsFetchedByIdOncePerClient() {
        int id = registry.registry().register("a-value", V1);
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());

        for (int i = 0; i < 20; i++) {
            assertThat(client.schemaById(id)).isEqualTo(V1);
        }
        assertThat(registry.requestCount()).isEqualTo(1);
        new RestSchemaRegistryClient(registry.url()).schemaById(id);
        assertThat(registry.requestCount()).as("a second client has its own cache").isEqualTo(2);
    }

    @Test
    void latestVersionsAndUnknownIdsAreAskedEveryTime() {
        registry.registry().register("a-value", V1);
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(registry.url());

        for (int i = 0; i < 3; i++) {
            client.latest("a-value");
            assertThatThrownBy(() -> client.schemaById(999)).isInstanceOf(SchemaRegistryException.class);
        }
        // a subject's latest version changes, and an unknown id may be registered later: neither is cached
        assertThat(registry.requestCount()).isEqualTo(6);
    }
}
