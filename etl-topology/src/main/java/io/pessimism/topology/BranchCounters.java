package io.pessimism.topology;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one branch has done, updated by its processors and error handlers and read by the runtime
 * for its status: the last block of the trigger source processed, the records sent to the DLQ,
 * and the interest records that could not be used. Thread-safe.
 */
public final class BranchCounters {

    private final AtomicLong height = new AtomicLong(-1);
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong rejectedInterests = new AtomicLong();

    /** The trigger source's block {@code number} has been processed. */
    public void processed(long number) {
        height.set(number);
    }

    /** The last block processed, empty before the first. */
    public OptionalLong height() {
        long h = height.get();
        return h < 0 ? OptionalLong.empty() : OptionalLong.of(h);
    }

    /** A record went to the branch's DLQ. */
    public void deadLettered() {
        deadLetters.incrementAndGet();
    }

    /** Records sent to the DLQ since the branch object was made. */
    public long deadLetters() {
        return deadLetters.get();
    }

    AtomicLong rejectedInterestCounter() {
        return rejectedInterests;
    }

    /** {@code <ns>.state} records the branch could not use (logged with their key and offset). */
    public long rejectedInterests() {
        return rejectedInterests.get();
    }
}
