package io.pessimism.schemaregistry;

import java.util.Objects;

/**
 * One fact of the embedded registry's durable log ({@code <ns>._schemas}). The log is compacted
 * by entry key, so the last entry per key is the state: one key per (subject, version) and one
 * per configured subject (or the global level).
 */
sealed interface RegistryLogEntry {

    /**
     * A subject's version: registered, or soft-deleted ({@code deleted=true}; the id keeps
     * resolving to its schema, as in Confluent's registry).
     */
    record SchemaEntry(String subject, int version, int id, String schema, boolean deleted) implements RegistryLogEntry {
        public SchemaEntry {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(schema, "schema");
        }

        SchemaEntry asDeleted() {
            return new SchemaEntry(subject, version, id, schema, true);
        }
    }

    /** A compatibility level: for {@code subject}, or the global one when {@code subject} is null. */
    record ConfigEntry(String subject, CompatibilityLevel level) implements RegistryLogEntry {
        public ConfigEntry {
            Objects.requireNonNull(level, "level");
        }
    }
}
