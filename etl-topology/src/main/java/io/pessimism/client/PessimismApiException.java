package io.pessimism.client;

import io.pessimism.api.Problem;
import java.util.Optional;

/**
 * A request the ETL REST API refused (with its RFC 9457 problem: status, title, detail, field), or
 * could not be made at all (no problem; the cause says why).
 */
public final class PessimismApiException extends RuntimeException {

    private final transient Problem problem;

    PessimismApiException(Problem problem) {
        super(problem.toString());
        this.problem = problem;
    }

    PessimismApiException(String message, Throwable cause) {
        super(message, cause);
        this.problem = null;
    }

    /** The API's problem detail, when it answered with one. */
    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** The HTTP status, or 0 when the API was not reached. */
    public int status() {
        return problem == null ? 0 : problem.status();
    }
}
