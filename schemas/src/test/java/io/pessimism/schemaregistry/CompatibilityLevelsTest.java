package io.pessimism.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FORWARD, FULL and their transitive forms decide registrations, not only read back: each level
 * refuses exactly the changes it should, over REST (an in-memory embedded registry).
 */
class CompatibilityLevelsTest {

    private static final Schema A = record("{\"name\":\"a\",\"type\":\"int\"}");
    private static final Schema A_B = record("{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\"}");
    private static final Schema A_B_DEFAULT = record("{\"name\":\"a\",\"type\":\"int\"},"
            + "{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}");

    private EmbeddedSchemaRegistry registry;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() {
        registry = EmbeddedSchemaRegistry.builder().inMemory().build().start();
        client = new RestSchemaRegistryClient(registry.url());
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Sample\",\"namespace\":\"io.pessimism.test\","
                + "\"fields\":[" + fields + "]}");
    }

    /** Registers {@code versions} in order under a new subject at {@code level}. */
    private String subject(String name, CompatibilityLevel level, Schema... versions) {
        client.setCompatibility(name, level);
        for (Schema version : versions) {
            client.register(name, version);
        }
        return name;
    }

    /** A 409 giving {@code expectedReason} and none of {@code notMentioned} (the checks that passed). */
    private static void assertRefused(ThrowingCallable registration, String expectedReason, String... notMentioned) {
        assertThatThrownBy(registration).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
            assertThat(e.getMessage()).contains(expectedReason).doesNotContain(notMentioned);
        });
    }

    @Test
    void droppingAFieldWithoutDefaultIsBackwardButNotForwardCompatible() {
        // new readers ignore b in old data; old readers find no b (and no default) in new data
        String forward = subject("forward-value", CompatibilityLevel.FORWARD, A_B);
        String backward = subject("backward-value", CompatibilityLevel.BACKWARD, A_B);

        assertRefused(() -> client.register(forward, A), "version 1 cannot read data written with the new schema",
                "the new schema cannot read");
        assertThat(client.versions(forward)).containsExactly(1);
        assertThat(client.register(backward, A)).isPositive();
        assertThat(client.versions(backward)).containsExactly(1, 2);
    }

    @Test
    void addingAFieldWithoutDefaultIsForwardButNotBackwardCompatible() {
        // old readers ignore b in new data; new readers find no b (and no default) in old data
        String backward = subject("backward-value", CompatibilityLevel.BACKWARD, A);
        String forward = subject("forward-value", CompatibilityLevel.FORWARD, A);

        assertRefused(() -> client.register(backward, A_B), "the new schema cannot read data written with version 1",
                "cannot read data written with the new schema");
        assertThat(client.versions(backward)).containsExactly(1);
        assertThat(client.register(forward, A_B)).isPositive();
        assertThat(client.versions(forward)).containsExactly(1, 2);
    }

    @Test
    void fullRefusesEitherOneWayChangeAndAcceptsAFieldWithADefault() {
        String added = subject("added-value", CompatibilityLevel.FULL, A);
        String dropped = subject("dropped-value", CompatibilityLevel.FULL, A_B);

        // each refused for the one direction it breaks, which BACKWARD or FORWARD alone would let through
        assertRefused(() -> client.register(added, A_B), "the new schema cannot read data written with version 1",
                "cannot read data written with the new schema");
        assertRefused(() -> client.register(dropped, A), "version 1 cannot read data written with the new schema",
                "the new schema cannot read");
        assertThat(client.register(added, A_B_DEFAULT)).isPositive();
        assertThat(client.versions(added)).containsExactly(1, 2);
    }

    @Test
    void fullTransitiveChecksEveryOlderVersionWhereFullChecksOnlyTheLatest() {
        // A_B is fully compatible with A_B_DEFAULT (version 2) but cannot read version 1's data (no b)
        String transitive = subject("transitive-value", CompatibilityLevel.FULL_TRANSITIVE, A, A_B_DEFAULT);
        String latestOnly = subject("latest-only-value", CompatibilityLevel.FULL, A, A_B_DEFAULT);

        assertThat(client.checkCompatibility(transitive, A_B).compatible()).isFalse();
        assertRefused(() -> client.register(transitive, A_B), "the new schema cannot read data written with version 1",
                "version 2");
        assertThat(client.versions(transitive)).containsExactly(1, 2);

        assertThat(client.checkCompatibility(latestOnly, A_B).compatible()).isTrue();
        assertThat(client.register(latestOnly, A_B)).isPositive();
        assertThat(client.versions(latestOnly)).containsExactly(1, 2, 3);
    }

    @Test
    void forwardTransitiveChecksEveryOlderVersionWhereForwardChecksOnlyTheLatest() {
        // version 2 reads A's data through b's default; version 1 (b without default) cannot
        String transitive = subject("transitive-value", CompatibilityLevel.FORWARD_TRANSITIVE, A_B, A_B_DEFAULT);
        String latestOnly = subject("latest-only-value", CompatibilityLevel.FORWARD, A_B, A_B_DEFAULT);

        assertRefused(() -> client.register(transitive, A), "version 1 cannot read data written with the new schema",
                "version 2");
        assertThat(client.versions(transitive)).containsExactly(1, 2);
        assertThat(client.register(latestOnly, A)).isPositive();
        assertThat(client.versions(latestOnly)).containsExactly(1, 2, 3);
    }
}
