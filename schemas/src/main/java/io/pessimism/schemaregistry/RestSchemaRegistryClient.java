package io.pessimism.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client of the Confluent Schema Registry REST API (Confluent, Redpanda, Karapace, Apicurio's
 * compatibility API, or {@link EmbeddedSchemaRegistry}).
 *
 * <p>Immutable facts are cached for the client's life: id → schema, and (subject, schema) → id
 * once registered or looked up. Everything else (versions, levels, compatibility) is asked
 * each time. Thread-safe; share one instance per registry to share its cache.
 *
 * <p>{@code baseUrls} may list several comma-separated URLs: each request tries them in order
 * until one answers (a reply, even an error, is final). A registry that wants HTTP basic auth gets
 * the {@code user:password} given (Confluent's {@code basic.auth.user.info}) on every request.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final List<URI> baseUrls;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, SchemaVersion> versionsBySubjectSchema = new ConcurrentHashMap<>();

    private record SubjectSchema(String subject, Schema schema) {
    }

    public RestSchemaRegistryClient(String baseUrls) {
        this(baseUrls, Optional.empty());
    }

    /** @param userInfo {@code user:password} of HTTP basic auth, when the registry wants it */
    public RestSchemaRegistryClient(String baseUrls, Optional<String> userInfo) {
        this(baseUrls, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), userInfo);
    }

    public RestSchemaRegistryClient(String baseUrls, HttpClient http) {
        this(baseUrls, http, Optional.empty());
    }

    public RestSchemaRegistryClient(String baseUrls, HttpClient http, Optional<String> userInfo) {
        if (baseUrls == null || baseUrls.isBlank()) {
            throw new IllegalArgumentException("schema registry url is missing");
        }
        this.baseUrls = Arrays.stream(baseUrls.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s))
                .toList();
        this.http = http;
        this.authorization = userInfo.map(RestSchemaRegistryClient::basic);
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
        int id = reply.path("id").asInt();
        idsBySubjectSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public SchemaVersion lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        SchemaVersion cached = versionsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        SchemaVersion found = toVersion(send("POST", "/subjects/" + encode(subject), schemaBody(schema)));
        versionsBySubjectSchema.put(key, found);
        idsBySubjectSchema.put(key, found.id());
        schemasById.putIfAbsent(found.id(), schema);
        return found;
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode reply = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(reply.path("schema").asText(), "schema id " + id);
        Schema previous = schemasById.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    @Override
    public List<String> subjects() {
        List<String> subjects = new ArrayList<>();
        send("GET", "/subjects", null).forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public List<Integer> versions(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("GET", "/subjects/" + encode(subject) + "/versions", null).forEach(node -> versions.add(node.asInt()));
        return versions;
    }

    @Override
    public SchemaVersion version(String subject, int version) {
        return toVersion(send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null));
    }

    @Override
    public SchemaVersion latest(String subject) {
        return toVersion(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        JsonNode reply = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
                schemaBody(schema));
        List<String> messages = new ArrayList<>();
        reply.path("messages").forEach(node -> messages.add(node.asText()));
        return new CompatibilityResult(reply.path("is_compatible").asBoolean(false), messages);
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        return CompatibilityLevel.parse(send("GET", "/config", null).path("compatibilityLevel").asText());
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", levelBody(level));
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        JsonNode reply = send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null);
        return CompatibilityLevel.parse(reply.path("compatibilityLevel").asText());
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + encode(subject), levelBody(level));
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        List<Integer> versions = new ArrayList<>();
        send("DELETE", "/subjects/" + encode(subject), null).forEach(node -> versions.add(node.asInt()));
        idsBySubjectSchema.keySet().removeIf(k -> k.subject().equals(subject));
        versionsBySubjectSchema.keySet().removeIf(k -> k.subject().equals(subject));
        return versions;
    }

    private SchemaVersion toVersion(JsonNode reply) {
        String subject = reply.path("subject").asText();
        int id = reply.path("id").asInt();
        Schema schema = schemasById.computeIfAbsent(id, i -> parse(reply.path("schema").asText(), "schema id " + i));
        return new SchemaVersion(subject, reply.path("version").asInt(), id, schema);
    }

    private Schema parse(String text, String what) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA,
                    "the registry returned an unparsable Avro schema for " + what + ": " + e.getMessage(), e);
        }
    }

    private String schemaBody(Schema schema) {
        ObjectNode body = json.createObjectNode();
        body.put("schema", schema.toString());
        return body.toString();
    }

    private String levelBody(CompatibilityLevel level) {
        ObjectNode body = json.createObjectNode();
        body.put("compatibility", level.name());
        return body.toString();
    }

    /** Asks {@code GET /config} within {@code timeout}: no answer, or a server error, is a problem. */
    @Override
    public Optional<String> problem(Duration timeout) {
        try {
            send("GET", "/config", null, timeout);
            return Optional.empty();
        } catch (SchemaRegistryException e) {
            return e.status() == 0 || e.status() >= 500 ? Optional.of(e.getMessage()) : Optional.empty();
        }
    }

    private JsonNode send(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, body, TIMEOUT);
    }

    private JsonNode send(String method, String pathAndQuery, String body, Duration timeout) {
        IOException lastFailure = null;
        for (URI base : baseUrls) {
            URI uri = URI.create(base + pathAndQuery);
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("Accept", CONTENT_TYPE + ", application/json")
                    .header("Content-Type", CONTENT_TYPE)
                    .method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            authorization.ifPresent(value -> builder.header("Authorization", value));
            HttpRequest request = builder.build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return decode(method, uri, response);
            } catch (IOException e) {
                lastFailure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException(0, 0, "interrupted during " + method + " " + uri, e);
            }
        }
        throw new SchemaRegistryException(0, 0, "could not reach the schema registry at " + baseUrls
                + " for " + method + " " + pathAndQuery + ": " + lastFailure, lastFailure);
    }

    private JsonNode decode(String method, URI uri, HttpResponse<String> response) {
        JsonNode node;
        try {
            node = response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException(response.statusCode(), response.statusCode(), method + " " + uri
                    + " answered HTTP " + response.statusCode() + " with a non-JSON body: " + abbreviate(response.body()), e);
        }
        if (response.statusCode() / 100 != 2) {
            int errorCode = node.path("error_code").asInt(response.statusCode());
            String message = node.path("message").asText(abbreviate(response.body()));
            throw new SchemaRegistryException(response.statusCode(), errorCode,
                    message + " (" + method + " " + uri + ", HTTP " + response.statusCode() + ", error_code " + errorCode + ")");
        }
        return node;
    }

    private static String basic(String userInfo) {
        if (userInfo.indexOf(':') < 1) {
            // the value is a secret: name the rule, never the value
            throw new IllegalArgumentException("the schema registry's basic auth must be user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    private static String abbreviate(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
