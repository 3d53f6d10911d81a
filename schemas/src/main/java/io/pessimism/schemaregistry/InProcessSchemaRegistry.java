package io.pessimism.schemaregistry;

import io.pessimism.schemaregistry.RegistryLogEntry.ConfigEntry;
import io.pessimism.schemaregistry.RegistryLogEntry.SchemaEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The registry's behaviour without HTTP: what {@link EmbeddedSchemaRegistry} serves, and a
 * {@link SchemaRegistryClient} in its own right for tests that want no server
 * ({@link #inMemory()}, e.g. with TopologyTestDriver).
 *
 * <p>Every change is first made durable in the {@link RegistryLog}, then applied to the state;
 * a failed write changes nothing. One lock serialises all access: a dev registry's load is tiny.
 */
public final class InProcessSchemaRegistry implements SchemaRegistryClient, AutoCloseable {

    private final RegistryLog log;
    private final SchemaStore store;

    InProcessSchemaRegistry(RegistryLog log, CompatibilityLevel defaultLevel) {
        this.log = log;
        this.store = new SchemaStore(defaultLevel);
        log.readAll().forEach(store::apply);
    }

    /** A registry held in memory only, with the global level BACKWARD_TRANSITIVE. */
    public static InProcessSchemaRegistry inMemory() {
        return new InProcessSchemaRegistry(new InMemoryRegistryLog(), CompatibilityLevel.BACKWARD_TRANSITIVE);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        requireSubject(subject);
        Optional<Integer> existingId = store.idOf(schema);
        if (existingId.isPresent() && store.liveVersions(subject).values().stream().anyMatch(e -> e.id() == existingId.get())) {
            return existingId.get();
        }
        CompatibilityResult result = checkCompatibility(subject, schema);
        if (!result.compatible()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject '" + subject
                            + "' at compatibility level " + store.effectiveLevel(subject) + ": "
                            + String.join("; ", result.messages()));
        }
        int id = existingId.orElseGet(store::nextId);
        SchemaEntry entry = new SchemaEntry(subject, store.nextVersion(subject), id, schema.toString(), false);
        log.append(entry);
        store.apply(entry);
        return id;
    }

    @Override
    public synchronized SchemaVersion lookup(String subject, Schema schema) {
        Map<Integer, SchemaEntry> live = requireLiveSubject(subject);
        Optional<Integer> id = store.idOf(schema);
        return live.values().stream()
                .filter(entry -> id.isPresent() && entry.id() == id.get())
                .findFirst()
                .map(this::toVersion)
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND,
                        "Schema not found under subject '" + subject + "'"));
    }

    @Override
    public synchronized Schema schemaById(int id) {
        return store.schema(id).orElseThrow(() -> new SchemaRegistryException(404,
                SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found"));
    }

    @Override
    public synchronized List<String> subjects() {
        return store.liveSubjects();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(requireLiveSubject(subject).keySet());
    }

    @Override
    public synchronized SchemaVersion version(String subject, int version) {
        SchemaEntry entry = requireLiveSubject(subject).get(version);
        if (entry == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND,
                    "Version " + version + " not found for subject '" + subject + "'");
        }
        return toVersion(entry);
    }

    @Override
    public synchronized SchemaVersion latest(String subject) {
        List<SchemaEntry> live = new ArrayList<>(requireLiveSubject(subject).values());
        return toVersion(live.get(live.size() - 1));
    }

    @Override
    public synchronized CompatibilityResult checkCompatibility(String subject, Schema schema) {
        return CompatibilityChecker.check(store.effectiveLevel(subject), schema, store.liveSchemas(subject));
    }

    /** Checks {@code schema} against one version only, in the direction(s) of the subject's level. */
    public synchronized CompatibilityResult checkCompatibility(String subject, Schema schema, int version) {
        SchemaVersion against = version(subject, version);
        return CompatibilityChecker.check(store.effectiveLevel(subject), schema, Map.of(version, against.schema()));
    }

    @Override
    public synchronized CompatibilityLevel globalCompatibility() {
        return store.globalLevel();
    }

    @Override
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        append(new ConfigEntry(null, level));
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return store.effectiveLevel(subject);
    }

    /** The subject's own level, if one was set (Confluent's GET /config/{s} without defaultToGlobal). */
    public synchronized Optional<CompatibilityLevel> subjectCompatibility(String subject) {
        return store.subjectLevel(subject);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        requireSubject(subject);
        append(new ConfigEntry(subject, level));
    }

    @Override
    public synchronized List<Integer> deleteSubject(String subject) {
        Map<Integer, SchemaEntry> live = requireLiveSubject(subject);
        for (SchemaEntry entry : live.values()) {
            append(entry.asDeleted());
        }
        return List.copyOf(live.keySet());
    }

    @Override
    public void close() {
        log.close();
    }

    private void append(RegistryLogEntry entry) {
        log.append(entry);
        store.apply(entry);
    }

    private Map<Integer, SchemaEntry> requireLiveSubject(String subject) {
        Map<Integer, SchemaEntry> live = store.liveVersions(subject);
        if (live.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND,
                    "Subject '" + subject + "' not found.");
        }
        return live;
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new SchemaRegistryException(422, SchemaRegistryException.UNPROCESSABLE_REQUEST, "the subject is empty");
        }
    }

    private SchemaVersion toVersion(SchemaEntry entry) {
        return new SchemaVersion(entry.subject(), entry.version(), entry.id(), store.schema(entry.id()).orElseThrow());
    }
}
