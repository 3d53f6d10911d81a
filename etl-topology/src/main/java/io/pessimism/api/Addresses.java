package io.pessimism.api;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Ethereum addresses at the edge: {@code 0x} and 40 hex digits in any case (checksummed or not),
 * normalised to lowercase, the form on the wire and in every comparison.
 */
public final class Addresses {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    private Addresses() {
    }

    /** The lowercase address, or a 400 problem naming {@code field}. */
    public static String normalise(String field, String address) {
        if (address == null || address.isBlank()) {
            throw Problems.invalidField(field, "an address is required (0x and 40 hex digits)");
        }
        if (!ADDRESS.matcher(address).matches()) {
            throw Problems.invalidField(field, "\"" + address
                    + "\" is not an address: expected 0x and 40 hex digits (20 bytes), got "
                    + address.length() + " characters");
        }
        return address.toLowerCase(Locale.ROOT);
    }
}
