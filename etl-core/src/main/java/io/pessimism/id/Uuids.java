package io.pessimism.id;

import java.util.UUID;
import java.util.regex.Pattern;

/** Strict UUID text: only the canonical lower-case form, so that ids render and parse 1:1. */
final class Uuids {

    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Uuids() {
    }

    static UUID parse(String text, String what) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException(what + ": \"" + text
                    + "\" is not a canonical lower-case UUID (8-4-4-4-12 hex digits)");
        }
        return UUID.fromString(text);
    }

    /** The 32 hex digits of the UUID, without dashes. */
    static String hex(UUID uuid) {
        return uuid.toString().replace("-", "");
    }
}
