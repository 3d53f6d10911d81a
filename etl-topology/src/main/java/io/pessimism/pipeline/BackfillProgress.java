package io.pessimism.pipeline;

import java.util.OptionalLong;

/**
 * How far a backfill or backtest has come: blocks done of the total (to its source's head, or to a
 * backtest's end), the rate since it began, and the time left at that rate. One per branch start,
 * fed from its status reports; the rate is measured from the first height seen, so time spent
 * starting is not counted.
 */
final class BackfillProgress {

    /**
     * @param done    blocks processed from the start height on
     * @param total   blocks from the start height to the target
     * @param rate    blocks per second since the first height seen, null until two heights were seen
     * @param eta     seconds left at that rate, null without a rate
     */
    record Figures(long done, long total, Double rate, Long eta) {

        double fraction() {
            return total <= 0 ? 1.0 : Math.min(1.0, (double) done / total);
        }
    }

    private final long startHeight;
    private long firstHeight = -1;
    private long firstAtMillis;

    BackfillProgress(long startHeight) {
        this.startHeight = startHeight;
    }

    /**
     * The figures at {@code nowMillis} for a branch at {@code height} heading for {@code target}
     * (inclusive); null when the target is unknown.
     */
    Figures at(long nowMillis, OptionalLong height, Long target) {
        if (target == null) {
            return null;
        }
        long total = Math.max(0, target - startHeight + 1);
        long done = height.isPresent() ? Math.max(0, Math.min(total, height.getAsLong() - startHeight + 1)) : 0;
        if (height.isEmpty()) {
            return new Figures(done, total, null, null);
        }
        if (firstHeight < 0) {
            firstHeight = height.getAsLong();
            firstAtMillis = nowMillis;
            return new Figures(done, total, null, null);
        }
        long elapsed = nowMillis - firstAtMillis;
        if (elapsed <= 0) {
            return new Figures(done, total, null, null);
        }
        double rate = (height.getAsLong() - firstHeight) * 1000.0 / elapsed;
        Long eta = rate > 0 ? (long) Math.ceil((total - done) / rate) : null;
        return new Figures(done, total, rate, eta);
    }
}
