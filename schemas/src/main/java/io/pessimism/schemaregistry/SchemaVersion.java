package io.pessimism.schemaregistry;

import java.util.Objects;
import org.apache.avro.Schema;

/** One registered version of a subject: the registry's answer to a lookup or a version read. */
public record SchemaVersion(String subject, int version, int id, Schema schema) {

    public SchemaVersion {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
