package io.pessimism.topology;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one branch has done, updated by its processors and error handlers and read by the runtime
 * for its status: the last block of the trigger source processed, the records sent to the DLQ,
 * the interest records that could not be used, and the tuples an aggregator emitted with a source
 * stalled. Thread-safe.
 *
 * <p>A processor that holds blocks back (the event_log pipe, above the interest horizon) says
 * which is the oldest it holds (an aggregator, the oldest trigger block whose tuple waits), so the height stops below it until it is released: a status never
 * claims a block whose records are not out yet.
 */
public final class BranchCounters {

    private static final long NONE = -1;

    private final AtomicLong height = new AtomicLong(NONE);
    private final AtomicLong oldestHeld = new AtomicLong(NONE);
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong rejectedInterests = new AtomicLong();
    private final AtomicLong stalledTuples = new AtomicLong();
    private final AtomicLong lastBlock = new AtomicLong(NONE);
    private final AtomicLong missedBlocks = new AtomicLong();
    private final AtomicLong latencyMillis = new AtomicLong(NONE);
    private volatile boolean rangeDone;

    /** The trigger source's block {@code number} has been processed. */
    public void processed(long number) {
        height.set(number);
    }

    /**
     * A canonical block of a block topic was processed from the trigger source: a gap since the
     * previous one (the topic skipped heights) counts as missed blocks; a lower number (the new
     * chain after a reorg's retractions) starts over from it.
     */
    public void block(long number) {
        long previous = lastBlock.getAndSet(number);
        if (previous != NONE && number > previous + 1) {
            missedBlocks.addAndGet(number - previous - 1);
        }
    }

    /** Heights the trigger's block topic skipped, since the branch object was made. */
    public long missedBlocks() {
        return missedBlocks.get();
    }

    /** The last trigger record was processed {@code millis} after its oracle produced it. */
    public void latency(long millis) {
        latencyMillis.set(Math.max(0, millis));
    }

    /** How long after its oracle produced it the last trigger record was processed, empty before the first. */
    public OptionalLong latencyMillis() {
        long l = latencyMillis.get();
        return l == NONE ? OptionalLong.empty() : OptionalLong.of(l);
    }

    /** The trigger's processor holds blocks back, the oldest of them being {@code number}. */
    public void holding(long number) {
        oldestHeld.set(number);
    }

    /** The trigger's processor holds no block back any more. */
    public void holdingNone() {
        oldestHeld.set(NONE);
    }

    /** The last block processed and not held back, empty before the first. */
    public OptionalLong height() {
        long h = height.get();
        long held = oldestHeld.get();
        if (held != NONE) {
            h = Math.min(h, held - 1);
        }
        return h < 0 ? OptionalLong.empty() : OptionalLong.of(h);
    }

    /** A backtest's range gate has forwarded its end marker: nothing more comes out of the branch. */
    public void rangeDone() {
        rangeDone = true;
    }

    /** Whether the branch's range is done (its end marker is out, in the transaction being committed). */
    public boolean isRangeDone() {
        return rangeDone;
    }

    /** The oldest block a processor holds back, empty when none is held. */
    public OptionalLong oldestHeld() {
        long held = oldestHeld.get();
        return held == NONE ? OptionalLong.empty() : OptionalLong.of(held);
    }

    /** A record went to the branch's DLQ. */
    public void deadLettered() {
        deadLetters.incrementAndGet();
    }

    /** Records sent to the DLQ since the branch object was made. */
    public long deadLetters() {
        return deadLetters.get();
    }

    /** An aggregator emitted a tuple with a source stalled past {@code aggregators.max-wait}. */
    public void stalledTuple() {
        stalledTuples.incrementAndGet();
    }

    /** Tuples an aggregator emitted incomplete, a source stalled, since the branch object was made. */
    public long stalledTuples() {
        return stalledTuples.get();
    }

    AtomicLong rejectedInterestCounter() {
        return rejectedInterests;
    }

    /** {@code <ns>.state} records the branch could not use (logged with their key and offset). */
    public long rejectedInterests() {
        return rejectedInterests.get();
    }
}
