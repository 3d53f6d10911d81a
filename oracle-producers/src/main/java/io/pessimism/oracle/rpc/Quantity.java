package io.pessimism.oracle.rpc;

import java.math.BigInteger;

/**
 * JSON-RPC quantities ({@code "0x"} and hex digits), decoded without web3j's
 * {@code Numeric.decodeQuantity}, which throws and catches an exception and compiles two regular
 * expressions for every value: most of a balance read's CPU once the node answers fast.
 */
public final class Quantity {

    private static final int LONG_DIGITS = 15; // 15 hex digits always fit a long

    private Quantity() {
    }

    /**
     * The value of {@code 0x}-prefixed hex digits (leading zeros allowed, as nodes send them).
     *
     * @throws NumberFormatException when {@code value} is not such a quantity
     */
    public static BigInteger decode(String value) {
        if (value == null || value.length() < 3 || value.charAt(0) != '0'
                || (value.charAt(1) != 'x' && value.charAt(1) != 'X')) {
            throw new NumberFormatException("not a 0x-prefixed hex quantity: '" + value + "'");
        }
        for (int i = 2; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                throw new NumberFormatException("not a hex digit at " + i + " of '" + value + "'");
            }
        }
        if (value.length() - 2 <= LONG_DIGITS) {
            return BigInteger.valueOf(Long.parseLong(value, 2, value.length(), 16));
        }
        return new BigInteger(value.substring(2), 16);
    }
}
