package io.pessimism.control;

import io.pessimism.avro.CommandError;

/** A command the control plane will not apply; becomes the reply's {@link CommandError}. */
final class CommandRefused extends RuntimeException {

    private final transient CommandError error;

    private CommandRefused(int status, String title, String detail, String field) {
        super(status + " " + title + ": " + detail);
        this.error = CommandError.newBuilder().setStatus(status).setTitle(title).setDetail(detail)
                .setField(field).build();
    }

    static CommandRefused invalid(String field, String detail) {
        return new CommandRefused(400, "Invalid request field", field == null ? detail : field + ": " + detail, field);
    }

    static CommandRefused unknownPipeline(String puuid) {
        return new CommandRefused(404, "Unknown pipeline", "no pipeline has PUUID " + puuid, "puuid");
    }

    static CommandRefused notFound(String field, String detail) {
        return new CommandRefused(404, "Not found", detail, field);
    }

    static CommandRefused conflict(String detail) {
        return new CommandRefused(409, "Conflict with the pipeline's state", detail, null);
    }

    static CommandRefused limit(String setting, int limit, String detail) {
        return new CommandRefused(429, "Pipeline limit reached", detail + " (" + setting + " = " + limit + ")", null);
    }

    static CommandRefused internal(String detail) {
        return new CommandRefused(500, "Internal error", detail, null);
    }

    CommandError error() {
        return error;
    }
}
