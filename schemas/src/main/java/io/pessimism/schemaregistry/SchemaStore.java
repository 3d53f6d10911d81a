package io.pessimism.schemaregistry;

import io.pessimism.schemaregistry.RegistryLogEntry.ConfigEntry;
import io.pessimism.schemaregistry.RegistryLogEntry.SchemaEntry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;

/**
 * The embedded registry's state, rebuilt by applying its log entries in order. Not thread-safe:
 * {@link InProcessSchemaRegistry} serialises access.
 *
 * <p>Schemas are identified by their parsed canonical JSON ({@link Schema#toString()}), so
 * whitespace and key order do not make two schemas different, and the same schema keeps one id
 * under every subject.
 */
final class SchemaStore {

    private final Map<String, TreeMap<Integer, SchemaEntry>> subjects = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel;

    SchemaStore(CompatibilityLevel defaultGlobalLevel) {
        this.globalLevel = defaultGlobalLevel;
    }

    void apply(RegistryLogEntry entry) {
        if (entry instanceof SchemaEntry schema) {
            subjects.computeIfAbsent(schema.subject(), s -> new TreeMap<>()).put(schema.version(), schema);
            if (!schemasById.containsKey(schema.id())) {
                Schema parsed = new Schema.Parser().parse(schema.schema());
                schemasById.put(schema.id(), parsed);
                idsByCanonical.put(parsed.toString(), schema.id());
            }
        } else if (entry instanceof ConfigEntry config) {
            if (config.subject() == null) {
                globalLevel = config.level();
            } else {
                subjectLevels.put(config.subject(), config.level());
            }
        }
    }

    /** The live (not soft-deleted) versions of a subject, ascending, with their entries. */
    Map<Integer, SchemaEntry> liveVersions(String subject) {
        Map<Integer, SchemaEntry> live = new LinkedHashMap<>();
        subjects.getOrDefault(subject, new TreeMap<>()).forEach((version, entry) -> {
            if (!entry.deleted()) {
                live.put(version, entry);
            }
        });
        return live;
    }

    /** Live versions as version → schema, ascending, for compatibility checks. */
    Map<Integer, Schema> liveSchemas(String subject) {
        Map<Integer, Schema> schemas = new LinkedHashMap<>();
        liveVersions(subject).forEach((version, entry) -> schemas.put(version, schemasById.get(entry.id())));
        return schemas;
    }

    List<String> liveSubjects() {
        TreeSet<String> live = new TreeSet<>();
        subjects.forEach((subject, versions) -> {
            if (versions.values().stream().anyMatch(e -> !e.deleted())) {
                live.add(subject);
            }
        });
        return List.copyOf(live);
    }

    Optional<Schema> schema(int id) {
        return Optional.ofNullable(schemasById.get(id));
    }

    Optional<Integer> idOf(Schema schema) {
        return Optional.ofNullable(idsByCanonical.get(schema.toString()));
    }

    /** Ids are global and never reused: one more than the highest ever assigned. */
    int nextId() {
        return schemasById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    /** Versions are never reused, even after a soft delete: one more than the highest ever. */
    int nextVersion(String subject) {
        TreeMap<Integer, SchemaEntry> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 1 : versions.lastKey() + 1;
    }

    Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }
}
