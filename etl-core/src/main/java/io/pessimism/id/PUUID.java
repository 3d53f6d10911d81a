package io.pessimism.id;

import io.pessimism.registry.Registry;
import java.util.Objects;
import java.util.UUID;

/**
 * A pipeline's id (the seed's PUUID): the deterministic {@link PipelinePID} plus a random UUID,
 * written {@code <PID>:::<uuid>} with the full canonical UUID. Used as the key of the pipeline's
 * spec and status records and in its owners' requests.
 */
public record PUUID(PipelinePID pid, UUID uuid) {

    // Three colons: a PipelinePID string contains "::" but never ":::".
    static final String SEPARATOR = ":::";

    public PUUID {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(uuid, "uuid");
    }

    /** A new pipeline id for {@code pid}. */
    public static PUUID random(PipelinePID pid) {
        return new PUUID(pid, UUID.randomUUID());
    }

    /** Parses {@code <PID>:::<uuid>}. */
    public static PUUID parse(String text, Registry registry) {
        int at = Objects.requireNonNull(text, "PUUID").lastIndexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException(
                    "PUUID \"" + text + "\" is not <pipelinePID>:::<uuid>");
        }
        try {
            return new PUUID(PipelinePID.parse(text.substring(0, at), registry),
                    Uuids.parse(text.substring(at + SEPARATOR.length()), "uuid"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PUUID \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** The UUID as 32 hex digits, as it appears in a non-shared pipeline's topic prefix. */
    public String uuidHex() {
        return Uuids.hex(uuid);
    }

    @Override
    public String toString() {
        return pid + SEPARATOR + uuid;
    }
}
