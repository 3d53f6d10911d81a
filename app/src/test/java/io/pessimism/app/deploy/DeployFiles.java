package io.pessimism.app.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pessimism.config.ConfigLoader;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Setting;
import io.pessimism.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The deployment files of the repo (docker-compose.yml, the Helm chart, Prometheus files), read as
 * their tools read them, for the deploy tests: YAML parsed, the chart rendered by {@link ChartRenderer}
 * with its values, compose variables interpolated with their defaults, and a container's environment
 * loaded by the code's own {@link ConfigLoader}.
 */
final class DeployFiles {

    /** The release name the chart is rendered under (the Prometheus config names its ETL service after it). */
    static final String RELEASE = "pessimism";
    /** What a pod's api.token secret is replaced with when a container's environment is loaded. */
    static final String SECRET_PLACEHOLDER = "secret-from-a-kubernetes-secret";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{(\\w+)(:-([^}]*))?}");

    private DeployFiles() {
    }

    static Path root() {
        String root = System.getProperty("pessimism.repo.root");
        if (root == null) {
            throw new IllegalStateException("system property pessimism.repo.root is not set (surefire sets it)");
        }
        return Path.of(root);
    }

    static String read(String relative) {
        try {
            return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative, e);
        }
    }

    static JsonNode yaml(String relative) {
        return yamlText(relative, read(relative)).get(0);
    }

    /** Every non-empty document of a YAML text. */
    static List<JsonNode> yamlText(String where, String text) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(text)) {
            List<JsonNode> out = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    out.add(doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException(where + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    /** The chart's values.yaml as Helm reads it, with {@code overrides} ({@code a.b} paths) applied. */
    static Map<String, Object> chartValues(Map<String, Object> overrides) {
        try {
            Map<String, Object> values = YAML.readValue(read("deploy/helm/pessimism/values.yaml"),
                    new TypeReference<LinkedHashMap<String, Object>>() {});
            overrides.forEach((path, value) -> set(values, path, value));
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> values, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> at = values;
        for (int i = 0; i < parts.length - 1; i++) {
            Object child = at.get(parts[i]);
            if (!(child instanceof Map)) {
                throw new IllegalArgumentException("values have no map at " + parts[i] + " of " + path);
            }
            at = (Map<String, Object>) child;
        }
        if (!at.containsKey(parts[parts.length - 1])) {
            throw new IllegalArgumentException("values have no " + path + " to override");
        }
        at.put(parts[parts.length - 1], value);
    }

    /** Every document of every template of the chart, rendered with its default values and {@code overrides}. */
    static List<JsonNode> renderChart(Map<String, Object> overrides) {
        JsonNode chart = yaml("deploy/helm/pessimism/Chart.yaml");
        ChartRenderer renderer = new ChartRenderer(chartValues(overrides),
                Map.of("Name", RELEASE, "Namespace", "pessimism", "Service", "Helm"),
                Map.of("Name", chart.path("name").asText(), "Version", chart.path("version").asText(),
                        "AppVersion", chart.path("appVersion").asText()));
        Path templates = root().resolve("deploy/helm/pessimism/templates");
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(templates)) {
            for (Path file : files.sorted().toList()) {
                String name = "templates/" + file.getFileName();
                if (!name.endsWith(".yaml")) {
                    throw new IllegalStateException(name + ": only .yaml templates are rendered here");
                }
                docs.addAll(yamlText(name, renderer.render(name, Files.readString(file))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode named(List<JsonNode> docs, String kind, String name) {
        return ofKind(docs, kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** A compose service's environment: its env_file(s), then {@code environment}, variables interpolated. */
    static Map<String, String> composeEnvironment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode file : service.path("env_file")) {
            for (String line : read(file.asText()).split("\n")) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                int eq = trimmed.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException(file.asText() + ": not KEY=VALUE: " + line);
                }
                env.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = service.path("environment").fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            env.put(field.getKey(), interpolate(field.getValue().asText()));
        }
        return env;
    }

    /** Compose's {@code ${VAR:-default}} with VAR unset; a variable without a default is refused. */
    static String interpolate(String text) {
        Matcher m = COMPOSE_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(2) == null) {
                throw new IllegalArgumentException("${" + m.group(1) + "} has no default: compose would need it set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(3)));
        }
        m.appendTail(out);
        return out.toString().replace("$$", "$");
    }

    /** A Kubernetes container's environment; a value from a secret becomes {@link #SECRET_PLACEHOLDER}. */
    static Map<String, String> containerEnvironment(JsonNode container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode var : container.path("env")) {
            String name = var.path("name").asText();
            String value = var.has("valueFrom") ? SECRET_PLACEHOLDER : var.path("value").asText();
            if (env.put(name, value) != null) {
                throw new AssertionError("container " + container.path("name").asText() + " sets " + name + " twice");
            }
        }
        return env;
    }

    /** The environment variables of every declared setting: what {@link ConfigLoader} reads. */
    static Set<String> settingVariables() {
        return Settings.all().stream().map(Setting::envVar).collect(Collectors.toUnmodifiableSet());
    }

    /** The configuration a process gets from this environment, loaded and validated by the code. */
    static PessimismConfig load(Map<String, String> environment) {
        return ConfigLoader.create().environment(environment).load();
    }
}
