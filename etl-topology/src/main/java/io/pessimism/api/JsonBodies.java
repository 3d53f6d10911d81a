package io.pessimism.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies: at most {@code api.max-request-bytes} (413 beyond, whether or not a
 * Content-Length was sent), strictly parsed JSON (unknown fields, fractional heights and trailing
 * content refused), every failure a problem naming the field ({@code interests[0].address}).
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
        try {
            return mapper.readValue(bytes, type);
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw Problems.malformedJson("unknown field \"" + e.getPropertyName() + "\"" + " at " + field
                    + "; known fields: " + e.getKnownPropertyIds(), field);
        } catch (JsonParseException e) {
            throw Problems.malformedJson("the body is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", null);
        } catch (JsonMappingException e) {
            String field = path(e);
            throw Problems.malformedJson((field == null ? "the body" : field) + " has the wrong JSON type: "
                    + e.getOriginalMessage(), field);
        } catch (JsonProcessingException e) {
            throw Problems.malformedJson("the body is not valid JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw Problems.malformedJson("could not read the body: " + e.getMessage(), null);
        }
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
