package io.pessimism.oracle.rpc;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter: the n-th consecutive failure waits a random time
 * in [d/2, d] where d = min(max, initial * 2^n). Jitter keeps several oracles behind one node from
 * retrying in lockstep. Used by one thread at a time: the oracle's loop, or the newHeads resubscriber.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    public Duration next() {
        long ceiling = initialMillis << Math.min(failures, 20);
        ceiling = Math.min(maxMillis, ceiling <= 0 ? maxMillis : ceiling);
        failures++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    public void reset() {
        failures = 0;
    }
}
