package io.pessimism.oracle.bench;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The balances the balance benchmark gives its addresses, block by block: at the first block every
 * address gets a balance; at each later block a rotating tenth of them (address {@code i} at block
 * {@code b} when {@code (i + b) % 10 == 0}) gets a new one. The balance of address {@code i} set at
 * block {@code c} is {@code 10^18 + i * 10^6 + c} wei, so every change is a different value.
 *
 * @param addresses how many addresses
 * @param blocks how many blocks, counted from the first (block index 0)
 */
public record BalanceSchedule(int addresses, int blocks) {

    /** One address in this many changes at each block after the first. */
    static final int CHANGE_EVERY = 10;
    private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);

    public BalanceSchedule {
        if (addresses < 1 || blocks < 1) {
            throw new IllegalArgumentException("need at least 1 address and 1 block, got " + addresses + " and "
                    + blocks);
        }
    }

    /** Address {@code i}: lowercase, fixed width, so sorting them keeps their order. */
    public static String address(int i) {
        return String.format("0xba1a%036x", i);
    }

    /** Every address, in order (the order the oracle's watch list reads them in). */
    public List<String> addressList() {
        List<String> list = new ArrayList<>(addresses);
        for (int i = 0; i < addresses; i++) {
            list.add(address(i));
        }
        return list;
    }

    /** Whether address {@code i} gets a new balance at block index {@code b}. */
    public boolean changes(int i, int b) {
        return b == 0 || (i + b) % CHANGE_EVERY == 0;
    }

    /** The balance of address {@code i} at block index {@code b}: the one set at its last change. */
    public BigInteger balance(int i, int b) {
        int lastChange = b - (i + b) % CHANGE_EVERY;
        if (b == 0 || lastChange < 1) {
            lastChange = 0;
        }
        return ONE_ETH.add(BigInteger.valueOf((long) i * 1_000_000 + lastChange));
    }

    /** The balances set at block index {@code b}, by address. */
    public Map<String, BigInteger> changesAt(int b) {
        Map<String, BigInteger> changes = new LinkedHashMap<>();
        for (int i = 0; i < addresses; i++) {
            if (changes(i, b)) {
                changes.put(address(i), balance(i, b));
            }
        }
        return changes;
    }

    /** The AccountBalance records the blocks yield: one per address at the first block, then one per change. */
    public long expectedRecords() {
        long records = 0;
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < addresses; i++) {
                records += changes(i, b) ? 1 : 0;
            }
        }
        return records;
    }

    /** Addresses × blocks: the balances read per pass. */
    public long balances() {
        return (long) addresses * blocks;
    }
}
