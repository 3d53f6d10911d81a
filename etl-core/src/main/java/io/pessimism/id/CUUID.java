package io.pessimism.id;

import io.pessimism.registry.Registry;
import java.util.Objects;
import java.util.UUID;

/**
 * A component instance's id (the seed's CUUID): the deterministic {@link ComponentPID} plus a
 * random UUID, written {@code <PID>::<uuid>} with the full canonical UUID.
 */
public record CUUID(ComponentPID pid, UUID uuid) {

    static final String SEPARATOR = "::";

    public CUUID {
        Objects.requireNonNull(pid, "pid");
        Objects.requireNonNull(uuid, "uuid");
    }

    /** A new instance id for {@code pid}. */
    public static CUUID random(ComponentPID pid) {
        return new CUUID(pid, UUID.randomUUID());
    }

    /** Parses {@code <PID>::<uuid>}. */
    public static CUUID parse(String text, Registry registry) {
        int at = Objects.requireNonNull(text, "CUUID").lastIndexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException(
                    "CUUID \"" + text + "\" is not <componentPID>::<uuid>");
        }
        try {
            return new CUUID(ComponentPID.parse(text.substring(0, at), registry),
                    Uuids.parse(text.substring(at + SEPARATOR.length()), "uuid"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("CUUID \"" + text + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return pid + SEPARATOR + uuid;
    }
}
