package io.pessimism.app.cli;

import io.pessimism.app.LogSetup;
import io.pessimism.config.ConfigLoader;
import io.pessimism.config.PessimismConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration flags every service command shares (streams-bootstrap style): a file, then
 * {@code PESSIMISM_*} environment variables, then these flags, in increasing precedence.
 */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file with settings (see docs/configuration.md).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (kafka.bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", paramLabel = "URL",
            description = "Schema Registry URL (schema.registry.url).")
    String schemaRegistryUrl;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "Topic namespace: every topic is named <ns>.… (namespace).")
    String namespace;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting, e.g. --set networks.layer1.rpc-url=http://127.0.0.1:8545 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    /** The flag overrides, as setting keys to values (highest precedence). */
    public Map<String, String> overrides() {
        Map<String, String> out = new LinkedHashMap<>(settings);
        if (bootstrapServers != null) {
            out.put("kafka.bootstrap.servers", bootstrapServers);
        }
        if (schemaRegistryUrl != null) {
            out.put("schema.registry.url", schemaRegistryUrl);
        }
        if (namespace != null) {
            out.put("namespace", namespace);
        }
        return out;
    }

    public Path configFile() {
        return configFile;
    }

    /**
     * Loads and validates the configuration; a wrong value fails here, naming the key and its source.
     * Its {@code log.format} applies from here on.
     */
    public PessimismConfig load() {
        ConfigLoader loader = ConfigLoader.create().environment(System.getenv()).overrides(overrides());
        if (configFile != null) {
            loader.file(configFile);
        }
        PessimismConfig config = loader.load();
        LogSetup.apply(config.logFormat());
        return config;
    }
}
