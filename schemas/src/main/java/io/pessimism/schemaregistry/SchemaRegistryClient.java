package io.pessimism.schemaregistry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry operations this project uses. {@link RestSchemaRegistryClient}
 * speaks them over HTTP to any Confluent-compatible registry; tests may substitute their own.
 * Every failure is a {@link SchemaRegistryException} carrying the HTTP status and Confluent
 * {@code error_code}.
 */
public interface SchemaRegistryClient {

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
    int register(String subject, Schema schema);

    /** The version of {@code subject} holding {@code schema}; 40401/40403 when there is none. */
    SchemaVersion lookup(String subject, Schema schema);

    /** The schema with this global id; 40403 when unknown. */
    Schema schemaById(int id);

    /** Subjects that have at least one live version, sorted. */
    List<String> subjects();

    /** The live versions of {@code subject}, ascending; 40401 when unknown. */
    List<Integer> versions(String subject);

    /** One version of {@code subject}; 40401/40402 when unknown. */
    SchemaVersion version(String subject, int version);

    /** The newest live version of {@code subject}; 40401 when unknown. */
    SchemaVersion latest(String subject);

    /**
     * Whether {@code schema} could be registered under {@code subject} at its compatibility level
     * (checked against the latest version, or all versions for a transitive level).
     */
    CompatibilityResult checkCompatibility(String subject, Schema schema);

    /** The global compatibility level. */
    CompatibilityLevel globalCompatibility();

    /** Sets the global compatibility level. */
    void setGlobalCompatibility(CompatibilityLevel level);

    /** The level that applies to {@code subject}: its own, else the global one. */
    CompatibilityLevel compatibility(String subject);

    /** Sets a subject-level compatibility level. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** Soft-deletes every version of {@code subject} and returns them; 40401 when unknown. */
    List<Integer> deleteSubject(String subject);

    /**
     * Why the registry does not answer within {@code timeout}, or empty when it does (for
     * {@code /ready}). A registry in this process answers; a remote one says so itself.
     */
    default Optional<String> problem(Duration timeout) {
        try {
            globalCompatibility();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("schema registry: " + e.getMessage());
        }
    }
}
