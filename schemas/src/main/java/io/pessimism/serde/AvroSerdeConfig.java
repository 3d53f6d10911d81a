package io.pessimism.serde;

import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings, under Confluent's key names so a Kafka/Streams config written for
 * Confluent's serdes works unchanged.
 *
 * @param registryUrl        {@value #SCHEMA_REGISTRY_URL}: one or more comma-separated base URLs
 * @param autoRegisterSchemas {@value #AUTO_REGISTER_SCHEMAS} (default true): register the record's
 *                           schema on first use; when false, the schema must already be
 *                           registered under the subject (looked up, never created)
 * @param useLatestVersion   {@value #USE_LATEST_VERSION} (default false): write with the subject's
 *                           latest schema (fetched once per serializer), converting each record to it
 * @param specificAvroReader {@value #SPECIFIC_AVRO_READER} (default false): the generic deserializer
 *                           returns generated classes (by the writer schema's full name)
 * @param basicAuthUserInfo  {@value #BASIC_AUTH_USER_INFO}: {@code user:password} of the registry's HTTP
 *                           basic auth, or null; {@link #toString()} masks it
 */
public record AvroSerdeConfig(String registryUrl, boolean autoRegisterSchemas, boolean useLatestVersion,
                              boolean specificAvroReader, String basicAuthUserInfo) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

    /** No URL, auto-register on, latest off, generic reader: for serdes built with a client. */
    public static AvroSerdeConfig defaults() {
        return new AvroSerdeConfig(null, true, false, false, null);
    }

    /**
     * Reads the settings from a Kafka-style config map (values as strings or booleans); other
     * keys are ignored, as Kafka passes its whole config to serdes.
     *
     * @throws ConfigException naming the key whose value is not a boolean
     */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        return new AvroSerdeConfig(
                url == null ? null : url.toString().trim(),
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER, false),
                configs.get(BASIC_AUTH_USER_INFO) == null ? null : configs.get(BASIC_AUTH_USER_INFO).toString());
    }

    /** The given client, else a REST client of {@link #registryUrl()}. */
    SchemaRegistryClient clientOr(SchemaRegistryClient given) {
        if (given != null) {
            return given;
        }
        if (registryUrl == null || registryUrl.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, registryUrl,
                    "the Avro serde needs " + SCHEMA_REGISTRY_URL + " (e.g. http://localhost:8081)");
        }
        return new RestSchemaRegistryClient(registryUrl, java.util.Optional.ofNullable(basicAuthUserInfo));
    }

    @Override
    public String toString() {
        return "AvroSerdeConfig[registryUrl=" + registryUrl + ", autoRegisterSchemas=" + autoRegisterSchemas
                + ", useLatestVersion=" + useLatestVersion + ", specificAvroReader=" + specificAvroReader
                + ", basicAuthUserInfo=" + (basicAuthUserInfo == null ? "<unset>" : "****") + "]";
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key, value, "expected true or false");
    }
}
