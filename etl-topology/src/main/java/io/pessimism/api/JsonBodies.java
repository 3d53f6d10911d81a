package io.pessimism.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads request bodies: at most {@code api.max-request-bytes} (413 beyond, whether or not a
 * Content-Length was sent), strictly parsed JSON (unknown fields, fractional heights and trailing
 * content refused), every failure a problem naming the field ({@code interests[0].address}) in
 * JSON's terms, never Java's (no class or Jackson names reach the client).
 */
final class JsonBodies {

    private final ObjectMapper mapper;
    private final long maxBytes;

    JsonBodies(ObjectMapper mapper, long maxBytes) {
        this.mapper = mapper;
        this.maxBytes = maxBytes;
    }

    /** The mapper the API reads and writes with. */
    static ObjectMapper mapper() {
        return JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }

    /** Refuses a declared body larger than the limit before reading it. */
    void checkDeclaredLength(long contentLength) {
        if (contentLength > maxBytes) {
            throw Problems.tooLarge(maxBytes);
        }
    }

    /** The body as {@code type}; an empty body is null. */
    <T> T read(InputStream body, Class<T> type) {
        byte[] bytes = readBounded(body);
        if (bytes.length == 0) {
            return null;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw Problems.malformedJson("the body is not valid JSON: " + reason(e) + location(e), null);
        } catch (IOException e) {
            throw Problems.malformedJson("could not read the body: " + e.getMessage(), null);
        }
        // mapped from the tree, so a field of the wrong type can be described by the value found there
        try {
            return mapper.treeToValue(tree, type);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw Problems.malformedJson("unknown field \"" + e.getPropertyName() + "\"" + " at " + field
                    + "; known fields: " + e.getKnownPropertyIds(), field);
        } catch (JsonMappingException e) {
            String field = path(e);
            if (e.getCause() instanceof InputCoercionException) {
                throw outOfRange(field);
            }
            throw Problems.malformedJson((field == null ? "the body" : field) + " must be " + expected(e) + ", not "
                    + describe(at(tree, e.getPath())), field);
        } catch (InputCoercionException e) {
            throw outOfRange(null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw Problems.malformedJson("the body does not describe the request: " + reason(e), null);
        }
    }

    /** A number too large for the field's type (every number the API reads is a long). */
    private static ProblemException outOfRange(String field) {
        return Problems.malformedJson((field == null ? "a number" : field) + " is out of range: an integer from "
                + Long.MIN_VALUE + " to " + Long.MAX_VALUE + " is expected", field);
    }

    /**
     * What a field of the given Java type is in JSON terms: a reader of the API never sees a Java
     * type name (Jackson's messages name them, with its own tokens and feature flags).
     */
    private static String expected(JsonMappingException e) {
        Class<?> type = e instanceof MismatchedInputException mismatch ? mismatch.getTargetType() : null;
        if (type == null) {
            return "of another JSON type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    /** The node a mapping failure's path leads to in {@code tree} (the tree itself for an empty path). */
    private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode node = tree;
        for (JsonMappingException.Reference reference : path) {
            node = reference.getFieldName() != null ? node.path(reference.getFieldName())
                    : node.path(reference.getIndex());
        }
        return node;
    }

    /** A JSON value's type, as a reader of the API knows it. */
    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isIntegralNumber()) {
            return "an integer";
        }
        if (node.isNumber()) {
            return "a fractional number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        return node.isNull() ? "null" : "missing";
    }

    /** Jackson's reason without its hints to the programmer (feature flags, Java types, the source). */
    private static String reason(Exception e) {
        String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        int hint = reason.indexOf(": enable `");
        if (hint < 0) {
            hint = reason.indexOf("; enable `");
        }
        if (hint >= 0) {
            reason = reason.substring(0, hint);
        }
        return reason.replaceAll("\\[Source: [^\\]]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                .replaceAll("`[^`]*`", "").replaceAll("\\s+\\)", ")").strip();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private byte[] readBounded(InputStream body) {
        try (InputStream in = body; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw Problems.tooLarge(maxBytes);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw Problems.malformedJson("could not read the body: " + e.getMessage(), null);
        }
    }

    /** {@code interests[0].signatures[1]} from Jackson's reference path; null at the root. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }
}
