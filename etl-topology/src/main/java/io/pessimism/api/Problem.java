package io.pessimism.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail ({@code application/problem+json}), with the extension member
 * {@code field}: the request field at fault ({@code interests[0].signatures[1]}), when one is.
 *
 * @param type     a URI naming the kind of problem, {@code urn:pessimism:problem:<kind>}
 * @param title    short, the same for every problem of the type
 * @param status   the HTTP status
 * @param detail   what failed, for this occurrence
 * @param instance the request path the problem occurred on
 * @param field    the request field at fault, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

    /** The media type of a problem body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** A problem of this kind ({@code urn:pessimism:problem:<kind>}). */
    public static Problem of(String kind, String title, int status, String detail, String field) {
        return new Problem("urn:pessimism:problem:" + kind, title, status, detail, null, field);
    }

    /** The same problem, occurred on {@code path}. */
    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, field);
    }

    @Override
    public String toString() {
        return status + " " + title + (field == null ? "" : " (" + field + ")") + ": " + detail;
    }
}
