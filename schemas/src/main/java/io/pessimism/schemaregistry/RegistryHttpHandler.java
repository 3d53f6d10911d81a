package io.pessimism.schemaregistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the Confluent Schema Registry REST subset onto an {@link InProcessSchemaRegistry} and
 * turns every failure into Confluent's error body {@code {"error_code": N, "message": "..."}}
 * (never a stack trace).
 */
final class RegistryHttpHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final InProcessSchemaRegistry registry;
    private final ObjectMapper json = new ObjectMapper();

    RegistryHttpHandler(InProcessSchemaRegistry registry) {
        this.registry = registry;
    }

    /** A reply: HTTP status and JSON body. */
    private record Reply(int status, JsonNode body) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }
    }

    /** One request, with the path already split into decoded segments. */
    private record Request(String method, List<String> path, Map<String, String> query, byte[] body) {
        String segment(int i) {
            return path.get(i);
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = route(parse(exchange));
        } catch (SchemaRegistryException e) {
            reply = new Reply(e.status(), error(e.errorCode(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("unexpected failure serving {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            reply = new Reply(500, error(50000, "Internal error: " + e.getClass().getSimpleName()));
        }
        byte[] bytes = json.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Reply route(Request r) {
        List<String> p = r.path();
        String m = r.method();
        if (p.isEmpty()) {
            return only(m, "GET", () -> Reply.ok(json.createObjectNode()));
        }
        switch (p.get(0)) {
            case "subjects":
                return subjects(r);
            case "schemas":
                if (p.size() == 2 && p.get(1).equals("types")) {
                    return only(m, "GET", () -> Reply.ok(json.createArrayNode().add("AVRO")));
                }
                if (p.size() == 3 && p.get(1).equals("ids")) {
                    return only(m, "GET", () -> schemaById(r.segment(2)));
                }
                break;
            case "compatibility":
                if (p.size() == 5 && p.get(1).equals("subjects") && p.get(3).equals("versions")) {
                    return only(m, "POST", () -> compatibility(r));
                }
                break;
            case "config":
                if (p.size() == 1) {
                    return m.equals("PUT") ? putConfig(null, r) : only(m, "GET", this::globalConfig);
                }
                if (p.size() == 2) {
                    return m.equals("PUT") ? putConfig(r.segment(1), r) : only(m, "GET", () -> subjectConfig(r));
                }
                break;
            default:
                break;
        }
        throw notFound(r);
    }

    private Reply subjects(Request r) {
        List<String> p = r.path();
        String m = r.method();
        if (p.size() == 1) {
            return only(m, "GET", () -> Reply.ok(strings(registry.subjects())));
        }
        String subject = r.segment(1);
        if (p.size() == 2) {
            if (m.equals("DELETE")) {
                return Reply.ok(ints(registry.deleteSubject(subject)));
            }
            return only(m, "POST", () -> versionReply(registry.lookup(subject, schemaOf(r))));
        }
        if (p.size() == 3 && p.get(2).equals("versions")) {
            if (m.equals("POST")) {
                ObjectNode body = json.createObjectNode();
                body.put("id", registry.register(subject, schemaOf(r)));
                return Reply.ok(body);
            }
            return only(m, "GET", () -> Reply.ok(ints(registry.versions(subject))));
        }
        if (p.size() == 4 && p.get(2).equals("versions")) {
            return only(m, "GET", () -> versionReply(version(subject, r.segment(3))));
        }
        throw notFound(r);
    }

    private SchemaVersion version(String subject, String version) {
        if (version.equals("latest") || version.equals("-1")) {
            return registry.latest(subject);
        }
        return registry.version(subject, versionNumber(version));
    }

    private Reply compatibility(Request r) {
        String subject = r.segment(2);
        String version = r.segment(4);
        Schema schema = schemaOf(r);
        CompatibilityResult result;
        if (version.equals("latest") || version.equals("-1")) {
            result = registry.checkCompatibility(subject, schema);
        } else {
            result = registry.checkCompatibility(subject, schema, versionNumber(version));
        }
        ObjectNode body = json.createObjectNode();
        body.put("is_compatible", result.compatible());
        if (!result.messages().isEmpty()) {
            body.set("messages", strings(result.messages()));
        }
        return Reply.ok(body);
    }

    private Reply schemaById(String idText) {
        int id;
        try {
            id = Integer.parseInt(idText);
        } catch (NumberFormatException e) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + idText + " not found");
        }
        ObjectNode body = json.createObjectNode();
        body.put("schema", registry.schemaById(id).toString());
        return Reply.ok(body);
    }

    private Reply globalConfig() {
        return levelReply("compatibilityLevel", registry.globalCompatibility());
    }

    private Reply subjectConfig(Request r) {
        String subject = r.segment(1);
        if (Boolean.parseBoolean(r.query().get("defaultToGlobal"))) {
            return levelReply("compatibilityLevel", registry.compatibility(subject));
        }
        return levelReply("compatibilityLevel", registry.subjectCompatibility(subject).orElseThrow(() ->
                new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED,
                        "Subject '" + subject + "' does not have subject-level compatibility configured")));
    }

    private Reply putConfig(String subject, Request r) {
        JsonNode body = readJson(r.body());
        CompatibilityLevel level = CompatibilityLevel.parse(body.path("compatibility").asText(null));
        if (subject == null) {
            registry.setGlobalCompatibility(level);
        } else {
            registry.setCompatibility(subject, level);
        }
        return levelReply("compatibility", level);
    }

    private Reply levelReply(String field, CompatibilityLevel level) {
        ObjectNode body = json.createObjectNode();
        body.put(field, level.name());
        return Reply.ok(body);
    }

    private Reply versionReply(SchemaVersion version) {
        ObjectNode body = json.createObjectNode();
        body.put("subject", version.subject());
        body.put("version", version.version());
        body.put("id", version.id());
        body.put("schema", version.schema().toString());
        return Reply.ok(body);
    }

    /** The Avro schema of a {@code {"schema": "...", "schemaType": "AVRO"}} body. */
    private Schema schemaOf(Request r) {
        JsonNode body = readJson(r.body());
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw invalidSchema("schemaType " + type + " is not supported; this registry serves AVRO only");
        }
        if (body.path("references").size() > 0) {
            throw invalidSchema("schema references are not supported by the embedded registry");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual() || schema.asText().isBlank()) {
            throw invalidSchema("the request body has no \"schema\" string");
        }
        try {
            return new Schema.Parser().parse(schema.asText());
        } catch (SchemaParseException | IllegalArgumentException e) {
            throw invalidSchema("Invalid schema: " + e.getMessage());
        }
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new SchemaRegistryException(400, 400, "the request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(400, 400, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SchemaRegistryException(400, 400, "the request body could not be read: " + e.getMessage());
        }
    }

    private static int versionNumber(String text) {
        try {
            int version = Integer.parseInt(text);
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw new SchemaRegistryException(422, SchemaRegistryException.INVALID_VERSION,
                "The specified version '" + text + "' is not a valid version id; allowed: a positive integer or 'latest'");
    }

    private static SchemaRegistryException invalidSchema(String message) {
        return new SchemaRegistryException(422, SchemaRegistryException.INVALID_SCHEMA, message);
    }

    private static SchemaRegistryException notFound(Request r) {
        return new SchemaRegistryException(404, 404, "No such endpoint: " + r.method() + " /" + String.join("/", r.path()));
    }

    private interface Action {
        Reply run();
    }

    private Reply only(String method, String allowed, Action action) {
        if (!method.equals(allowed)) {
            throw new SchemaRegistryException(405, 405, "Method " + method + " not allowed here; use " + allowed);
        }
        return action.run();
    }

    private ArrayNode strings(List<String> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private ArrayNode ints(List<Integer> values) {
        ArrayNode array = json.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private Request parse(HttpExchange exchange) throws IOException {
        List<String> path = Arrays.stream(exchange.getRequestURI().getRawPath().split("/"))
                .filter(s -> !s.isEmpty())
                .map(RegistryHttpHandler::decode)
                .toList();
        Map<String, String> query = new HashMap<>();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return new Request(exchange.getRequestMethod(), path, query, readBody(exchange.getRequestBody()));
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new SchemaRegistryException(413, 413, "the request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SchemaRegistryException(400, 400, "malformed URL encoding in '" + segment + "'");
        }
    }

    private ObjectNode error(int code, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("error_code", code);
        body.put("message", message);
        return body;
    }
}
