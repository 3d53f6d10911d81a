package io.pessimism.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pessimism.schemaregistry.RegistryLogEntry.ConfigEntry;
import io.pessimism.schemaregistry.RegistryLogEntry.SchemaEntry;
import java.io.IOException;

/**
 * JSON keys and values of {@code <ns>._schemas}, readable with any console consumer. Keys are
 * written with a fixed field order so equal keys are equal bytes, which compaction relies on.
 */
final class RegistryLogCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = "SCHEMA";
    private static final String CONFIG = "CONFIG";

    private RegistryLogCodec() {
    }

    static String key(RegistryLogEntry entry) {
        ObjectNode key = JSON.createObjectNode();
        if (entry instanceof SchemaEntry schema) {
            key.put("keytype", SCHEMA).put("subject", schema.subject()).put("version", schema.version());
        } else if (entry instanceof ConfigEntry config) {
            key.put("keytype", CONFIG).put("subject", config.subject());
        }
        return key.toString();
    }

    static String value(RegistryLogEntry entry) {
        ObjectNode value = JSON.createObjectNode();
        if (entry instanceof SchemaEntry schema) {
            value.put("subject", schema.subject()).put("version", schema.version()).put("id", schema.id())
                    .put("schema", schema.schema()).put("deleted", schema.deleted());
        } else if (entry instanceof ConfigEntry config) {
            value.put("compatibilityLevel", config.level().name());
        }
        return value.toString();
    }

    /**
     * Decodes one record of the log.
     *
     * @throws IllegalArgumentException naming what is wrong, when the record is not one of ours
     */
    static RegistryLogEntry decode(String key, String value) {
        JsonNode k = read(key, "key");
        JsonNode v = read(value, "value");
        String type = k.path("keytype").asText();
        if (SCHEMA.equals(type)) {
            String schema = v.path("schema").asText(null);
            if (!v.hasNonNull("subject") || !v.hasNonNull("id") || !v.hasNonNull("version") || schema == null) {
                throw new IllegalArgumentException("schema entry lacks subject, version, id or schema: " + value);
            }
            return new SchemaEntry(v.get("subject").asText(), v.get("version").asInt(), v.get("id").asInt(),
                    schema, v.path("deleted").asBoolean(false));
        }
        if (CONFIG.equals(type)) {
            String subject = k.hasNonNull("subject") ? k.get("subject").asText() : null;
            return new ConfigEntry(subject, CompatibilityLevel.parse(v.path("compatibilityLevel").asText(null)));
        }
        throw new IllegalArgumentException("unknown keytype '" + type + "' in key " + key);
    }

    private static JsonNode read(String text, String what) {
        if (text == null) {
            throw new IllegalArgumentException("the " + what + " is null");
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("the " + what + " is not JSON: " + text, e);
        }
    }
}
