package io.pessimism.schemaregistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Decides whether a candidate schema may join a subject, with Avro's own reader/writer rules
 * ({@link SchemaCompatibility#checkReaderWriterCompatibility}).
 */
final class CompatibilityChecker {

    private CompatibilityChecker() {
    }

    /**
     * Checks {@code candidate} against the subject's live versions (version → schema, ascending)
     * at {@code level}: the latest only, or all of them for a transitive level.
     */
    static CompatibilityResult check(CompatibilityLevel level, Schema candidate, Map<Integer, Schema> liveVersions) {
        if (level == CompatibilityLevel.NONE || liveVersions.isEmpty()) {
            return CompatibilityResult.ok();
        }
        List<Map.Entry<Integer, Schema>> against = new ArrayList<>(liveVersions.entrySet());
        if (!level.transitive()) {
            against = against.subList(against.size() - 1, against.size());
        }
        List<String> messages = new ArrayList<>();
        for (Map.Entry<Integer, Schema> existing : against) {
            if (level.backward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing.getValue()),
                        "the new schema cannot read data written with version " + existing.getKey(), messages);
            }
            if (level.forward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(existing.getValue(), candidate),
                        "version " + existing.getKey() + " cannot read data written with the new schema", messages);
            }
        }
        return new CompatibilityResult(messages.isEmpty(), messages);
    }

    private static void describe(SchemaPairCompatibility pair, String context, List<String> messages) {
        for (Incompatibility incompatibility : pair.getResult().getIncompatibilities()) {
            messages.add(context + " (" + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + ": " + incompatibility.getMessage() + ")");
        }
    }
}
