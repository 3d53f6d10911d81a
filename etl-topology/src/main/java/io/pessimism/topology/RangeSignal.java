package io.pessimism.topology;

/**
 * What a backtest's {@link RangeGate} tells its {@link RangeEnd} after each record of the trigger
 * source, whether or not the record was in the range: how far the source has gone. Passed
 * between the two nodes of one task in memory only (never serialized).
 */
record RangeSignal(Cursor cursor) {
}
