package io.pessimism.interest;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Ethereum addresses at every input: {@code 0x} and 40 hex digits in any case (checksummed or
 * not), normalised to lowercase, the form on the wire and in every comparison (DESIGN.md §3).
 */
public final class Addresses {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    private Addresses() {
    }

    /**
     * The lowercase address.
     *
     * @throws IllegalArgumentException saying what is wrong with it, for the caller to name where it came from
     */
    public static String normalise(String address) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("an address is required (0x and 40 hex digits)");
        }
        if (!ADDRESS.matcher(address).matches()) {
            throw new IllegalArgumentException("\"" + address
                    + "\" is not an address: expected 0x and 40 hex digits (20 bytes), got "
                    + address.length() + " characters");
        }
        return address.toLowerCase(Locale.ROOT);
    }
}
