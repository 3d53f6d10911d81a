package io.pessimism.config;

import io.pessimism.network.Network;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the configuration from, in increasing precedence, a properties file, {@code PESSIMISM_*}
 * environment variables and explicit overrides (flags), then validates every value. All problems
 * are reported at once, each naming the key, the source and the rule. A blank value means
 * "unset": the setting falls back to a lower source or its default.
 *
 * <p>Every key in the file and in the overrides must be a declared setting (typos are caught).
 * Unknown {@code PESSIMISM_*} environment variables are logged and ignored: the launcher's own
 * ({@code PESSIMISM_JAVA_OPTS}), the CLI's {@code PESSIMISM_DEBUG} and the log levels {@code logback.xml}
 * reads live there too.
 */
public final class ConfigLoader {

    private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("PESSIMISM_JAVA_OPTS", "PESSIMISM_LOG_LEVEL",
            "PESSIMISM_KAFKA_LOG_LEVEL", "PESSIMISM_DEBUG");

    private Optional<Path> file = Optional.empty();
    private Map<String, String> environment = Map.of();
    private Map<String, String> overrides = Map.of();

    private ConfigLoader() {
    }

    public static ConfigLoader create() {
        return new ConfigLoader();
    }

    /** A properties file whose keys are setting names ({@code kafka.bootstrap.servers=...}). */
    public ConfigLoader file(Path file) {
        this.file = Optional.of(file);
        return this;
    }

    /** The process environment, e.g. {@code System.getenv()}; only {@code PESSIMISM_*} is read. */
    public ConfigLoader environment(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        return this;
    }

    /** Values that win over every other source (command-line flags). */
    public ConfigLoader overrides(Map<String, String> overrides) {
        this.overrides = new LinkedHashMap<>(overrides);
        return this;
    }

    /**
     * @throws ConfigException listing every problem found
     */
    public PessimismConfig load() {
        List<String> problems = new ArrayList<>();
        Map<Setting<?>, Raw> raw = new HashMap<>();
        file.ifPresent(path -> readFile(path, raw, problems));
        readEnvironment(raw);
        readOverrides(raw, problems);

        Map<Setting<?>, Object> values = new HashMap<>();
        Map<Setting<?>, ConfigSource> sources = new HashMap<>();
        for (Setting<?> setting : Settings.all()) {
            resolve(setting, raw.get(setting), values, sources, problems);
        }
        if (problems.isEmpty()) {
            PessimismConfig config = new PessimismConfig(values, sources);
            problems.addAll(crossChecks(config));
            if (problems.isEmpty()) {
                return config;
            }
        }
        throw new ConfigException(problems);
    }

    private static void readFile(Path path, Map<Setting<?>, Raw> raw, List<String> problems) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            problems.add("config file " + path + ": cannot be read: " + e.getMessage());
            return;
        }
        ConfigSource source = ConfigSource.file(path.toString());
        // Sorted, so that errors come out in a stable order.
        new TreeMap<>(properties).forEach((key, value) ->
                put(String.valueOf(key), String.valueOf(value), source, raw, problems));
    }

    private void readEnvironment(Map<Setting<?>, Raw> raw) {
        Map<String, Setting<?>> byVariable = new HashMap<>();
        Settings.all().forEach(s -> byVariable.put(s.envVar(), s));
        for (Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet()) {
            String variable = entry.getKey();
            Setting<?> setting = byVariable.get(variable);
            if (setting != null) {
                putIfNotBlank(setting, entry.getValue(), ConfigSource.env(variable), raw);
            } else if (variable.startsWith(Setting.ENV_PREFIX)
                    && !LAUNCHER_VARIABLES.contains(variable)) {
                log.warn("ignoring environment variable {}: no such setting", variable);
            }
        }
    }

    private void readOverrides(Map<Setting<?>, Raw> raw, List<String> problems) {
        overrides.forEach((key, value) -> put(key, value, ConfigSource.OVERRIDE, raw, problems));
    }

    private static void put(String key, String value, ConfigSource source,
            Map<Setting<?>, Raw> raw, List<String> problems) {
        Optional<Setting<?>> setting = Settings.find(key.trim());
        if (setting.isEmpty()) {
            problems.add("unknown key \"" + key + "\" (from " + source + ")"
                    + suggestion(key.trim()));
            return;
        }
        putIfNotBlank(setting.get(), value, source, raw);
    }

    private static void putIfNotBlank(Setting<?> setting, String value, ConfigSource source,
            Map<Setting<?>, Raw> raw) {
        if (value != null && !value.isBlank()) {
            raw.put(setting, new Raw(value.trim(), source));
        }
    }

    private static <T> void resolve(Setting<T> setting, Raw raw, Map<Setting<?>, Object> values,
            Map<Setting<?>, ConfigSource> sources, List<String> problems) {
        if (raw == null) {
            setting.defaultValue().ifPresent(value -> values.put(setting, value));
            sources.put(setting, ConfigSource.DEFAULT);
            return;
        }
        String shown = setting.secret() ? "****" : raw.text();
        String where = setting.name() + ": \"" + shown + "\" (from " + raw.source() + ") ";
        T value;
        try {
            value = setting.type().parse(raw.text());
        } catch (IllegalArgumentException e) {
            problems.add(where + e.getMessage() + " (a " + setting.type().name() + ")");
            return;
        }
        if (!setting.validator().accepts(value)) {
            problems.add(where + setting.validator().rule());
            return;
        }
        values.put(setting, value);
        sources.put(setting, raw.source());
    }

    // Rules that involve more than one setting.
    private static List<String> crossChecks(PessimismConfig config) {
        List<String> problems = new ArrayList<>();
        ApiConfig api = config.api();
        if (api.token().isEmpty() && !Loopback.is(api.host())) {
            problems.add(Settings.API_TOKEN.name() + ": required when api.host \"" + api.host()
                    + "\" (from " + config.source(Settings.API_HOST)
                    + ") is not a loopback address");
        }
        problems.addAll(ClientSecuritySettings.problems(config));
        if (config.enabledNetworks().isEmpty()) {
            problems.add("networks: at least one network must be enabled ("
                    + Settings.network(Network.LAYER1).enabled() + ", "
                    + Settings.network(Network.LAYER2).enabled() + ")");
        }
        return problems;
    }

    private static String suggestion(String key) {
        return Settings.all().stream()
                .map(Setting::name)
                .min(Comparator.comparingInt(name -> distance(key, name)))
                .filter(name -> distance(key, name) <= Math.max(2, key.length() / 4))
                .map(name -> "; did you mean " + name + "?")
                .orElse("");
    }

    // Levenshtein distance, for "did you mean".
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private record Raw(String text, ConfigSource source) {
        Raw {
            Objects.requireNonNull(text);
        }
    }
}
