package io.pessimism.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A rate limit per client (its address): a client may make {@code perSecond} requests a second on
 * average and {@code burst} at once; a refused request learns how long until its next one would be
 * allowed, and costs nothing. A token bucket kept as one number per client, the time its bucket is
 * full again (the generic cell rate algorithm), in whole nanoseconds. Clients whose bucket is full
 * again are forgotten once more than {@link #MAX_CLIENTS} are remembered.
 */
final class ClientRateLimiter {

    /** Clients remembered at most; beyond it, the idle ones are forgotten. */
    static final int MAX_CLIENTS = 10_000;

    private final long interval;
    private final long tolerance;
    private final LongSupplier nanoClock;
    private final Map<String, Long> fullAt = new ConcurrentHashMap<>();

    /**
     * @param perSecond requests a second each client may make on average (at least 1)
     * @param burst     requests a client may make at once (at least 1)
     * @param nanoClock {@link System#nanoTime} but in tests
     */
    ClientRateLimiter(int perSecond, int burst, LongSupplier nanoClock) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate " + perSecond + "/s and burst " + burst + " must be at least 1");
        }
        this.interval = 1_000_000_000L / perSecond;
        this.tolerance = (burst - 1) * interval;
        this.nanoClock = nanoClock;
    }

    /** Empty when {@code client} may make a request now (and it is counted); else how long until it may. */
    Optional<Duration> acquire(String client) {
        long now = nanoClock.getAsLong();
        if (fullAt.size() > MAX_CLIENTS) {
            fullAt.values().removeIf(full -> full - now <= 0);
        }
        long[] wait = {0};
        fullAt.compute(client, (c, full) -> {
            long start = full == null || full - now < 0 ? now : full;
            if (start - now > tolerance) {
                wait[0] = start - now - tolerance;
                return full;
            }
            return start + interval;
        });
        return wait[0] > 0 ? Optional.of(Duration.ofNanos(wait[0])) : Optional.empty();
    }
}
