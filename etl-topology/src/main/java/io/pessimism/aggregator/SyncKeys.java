package io.pessimism.aggregator;

import io.pessimism.avro.BlockReference;

/**
 * The keys of an aggregator's stores, fixed-width decimals so that the stores' byte order is the
 * order the policy needs: pending blocks of a source by (block time, number), pending triggers
 * and emitted tuples by the trigger's (block time, number), which is its chain order.
 */
final class SyncKeys {

    static final String TRIGGERS = "t/";
    private static final String MEMBERS = "m/";
    private static final int WIDTH = 19;
    private static final String ZEROS = "0".repeat(WIDTH);

    private SyncKeys() {
    }

    /** A pending block of source {@code source}: {@code m/<source>/<time>/<number>/<hash>}. */
    static String member(int source, BlockReference block) {
        return memberPrefix(source) + fixed(block.getTimestamp()) + '/' + fixed(block.getNumber()) + '/'
                + block.getHash();
    }

    /** Every pending block of {@code source} starts with this. */
    static String memberPrefix(int source) {
        return MEMBERS + source(source) + '/';
    }

    /** Just after every pending block of {@code source} with a block time at most {@code time} ('0' follows '/'). */
    static String memberThrough(int source, long time) {
        return memberPrefix(source) + fixed(time) + '0';
    }

    /** Just after every pending block of {@code source}. */
    static String memberEnd(int source) {
        return MEMBERS + source(source) + '0';
    }

    /**
     * A pending trigger: {@code t/<time>/<number>/<record timestamp>/<hash>}; the record timestamp is
     * the one its tuple goes out with.
     */
    static String trigger(BlockReference block, long recordTimestamp) {
        return TRIGGERS + fixed(block.getTimestamp()) + '/' + fixed(block.getNumber()) + '/' + fixed(recordTimestamp)
                + '/' + block.getHash();
    }

    /** Just after every pending trigger. */
    static String triggersEnd() {
        return "t0";
    }

    /** The record timestamp kept in a pending trigger's key. */
    static long recordTimestamp(String triggerKey) {
        return Long.parseLong(triggerKey.substring(TRIGGERS.length() + 40, TRIGGERS.length() + 59));
    }

    /** An emitted tuple, by its trigger: {@code <time>/<number>/<hash>}. */
    static String tuple(BlockReference trigger) {
        return fixed(trigger.getTimestamp()) + '/' + fixed(trigger.getNumber()) + '/' + trigger.getHash();
    }

    /**
     * {@code value} (not negative) as 19 decimal digits, zero-padded, as {@code %019d} writes it:
     * built by hand because these keys are built for every record and {@code String.format} was a
     * measurable part of the aggregator's time (bench aggregate).
     */
    static String fixed(long value) {
        String digits = Long.toString(value);
        return digits.length() >= WIDTH ? digits : ZEROS.substring(digits.length()) + digits;
    }

    private static String source(int source) {
        String digits = Integer.toString(source);
        return digits.length() >= 3 ? digits : "000".substring(digits.length()) + digits;
    }

    /** The trigger block time of an emitted tuple's key. */
    static long tupleTime(String tupleKey) {
        return Long.parseLong(tupleKey.substring(0, 19));
    }
}
