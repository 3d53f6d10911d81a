package io.pessimism.api;

import io.pessimism.avro.CommandError;

/** The problems the API answers with, one factory method per kind. */
public final class Problems {

    private Problems() {
    }

    /** 400: a request field has a wrong value. */
    public static ProblemException invalidField(String field, String detail) {
        return new ProblemException(Problem.of("invalid-field", "Invalid request field", 400,
                field + ": " + detail, field));
    }

    /** 400: the body is not the JSON the endpoint reads. */
    public static ProblemException malformedJson(String detail, String field) {
        return new ProblemException(Problem.of("malformed-json", "Malformed JSON body", 400, detail, field));
    }

    /** 404: no pipeline has this PUUID. */
    public static ProblemException unknownPipeline(String puuid) {
        return new ProblemException(Problem.of("unknown-pipeline", "Unknown pipeline", 404,
                "no pipeline has PUUID " + puuid, "puuid"));
    }

    /** 404: no route matches. */
    public static Problem notFound(String path) {
        return Problem.of("not-found", "Not found", 404, "no endpoint at " + path, null);
    }

    /** 413: the body is larger than {@code api.max-request-bytes}. */
    public static ProblemException tooLarge(long maxBytes) {
        return new ProblemException(Problem.of("payload-too-large", "Request body too large", 413,
                "the request body exceeds api.max-request-bytes = " + maxBytes + " bytes", null));
    }

    /** 401: the bearer token is missing or wrong. */
    public static ProblemException unauthorized() {
        return new ProblemException(Problem.of("unauthorized", "Unauthorized", 401,
                "this API requires the header Authorization: Bearer <api.token>", null));
    }

    /** 429: this client made more requests than {@code api.rate-limit} allows; it may retry after {@code retryAfterSeconds}. */
    public static ProblemException tooManyRequests(String client, int perSecond, int burst, long retryAfterSeconds) {
        return new ProblemException(Problem.of("too-many-requests", "Too many requests", 429,
                "client " + client + " made more than api.rate-limit = " + perSecond + " requests per second (api.rate-burst = "
                        + burst + " at once); retry after " + retryAfterSeconds + " s", null));
    }

    /** 503: the control plane did not answer in time, or could not be reached. */
    public static ProblemException unavailable(String detail) {
        return new ProblemException(Problem.of("unavailable", "Control plane unavailable", 503, detail, null));
    }

    /**
     * A request refused before it reached a route, by the HTTP server itself: an unparseable
     * request line or header, an invalid %-encoding, a URI or headers over the server's limits.
     * Its reason is the server's; a 5xx says nothing of its cause (the log has it).
     */
    public static Problem unreadable(int status, String reason) {
        String kind = switch (status) {
            case 400 -> "bad-request";
            case 413 -> "payload-too-large";
            case 414 -> "uri-too-long";
            case 431 -> "headers-too-large";
            default -> "http-" + status;
        };
        String title = org.eclipse.jetty.http.HttpStatus.getMessage(status);
        String detail = status >= 500 || reason == null || reason.isBlank() ? title : reason;
        return Problem.of(kind, title, status, "the request cannot be read as HTTP/1.1: " + detail, null);
    }

    /** 500: a failure of this service, not of the request. */
    public static Problem internal(String detail) {
        return Problem.of("internal", "Internal error", 500, detail, null);
    }

    /** The problem a control-plane refusal stands for. */
    public static ProblemException refused(CommandError error) {
        String kind = switch (error.getStatus()) {
            case 404 -> "unknown-pipeline";
            case 409 -> "conflict";
            case 429 -> "limit-exceeded";
            default -> error.getStatus() >= 500 ? "internal" : "invalid-field";
        };
        return new ProblemException(Problem.of(kind, error.getTitle(), error.getStatus(), error.getDetail(),
                error.getField()));
    }
}
