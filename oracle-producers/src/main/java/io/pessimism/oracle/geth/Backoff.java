package io.pessimism.oracle.geth;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded exponential backoff with full jitter: the n-th consecutive failure waits a random time
 * in [d/2, d] where d = min(max, initial * 2^n). Jitter keeps several oracles behind one node from
 * retrying in lockstep.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    Duration next() {
        long ceiling = initialMillis << Math.min(failures, 20);
        ceiling = Math.min(maxMillis, ceiling <= 0 ? maxMillis : ceiling);
        failures++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    void reset() {
        failures = 0;
    }
}
