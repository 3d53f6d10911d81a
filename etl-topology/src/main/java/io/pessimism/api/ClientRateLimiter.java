package io.pessimism.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A rate limit per client (its address): a client may make {@code perSecond} requests a second on
 * average and {@code burst} at once; a refused request learns how long until its next one would be
 * allowed, and costs nothing. A token bucket kept as one number per client, the time its bucket is
 * full again (the generic cell rate algorithm), in whole nanoseconds. Memory stays bounded: once
 * more than {@link #MAX_CLIENTS} are remembered, the clients whose bucket is full again are forgotten
 * (at most one sweep per second); if that is not enough (a flood from that many addresses), all are,
 * since a limit per address cannot hold such a flood anyway.
 */
final class ClientRateLimiter {

    /** Clients remembered at most; beyond it, the idle ones are forgotten. */
    static final int MAX_CLIENTS = 10_000;
    private static final long SWEEP_EVERY = 1_000_000_000L;

    private final long interval;
    private final long tolerance;
    private final LongSupplier nanoClock;
    private final Map<String, Long> fullAt = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

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
        this.nextSweep = new AtomicLong(nanoClock.getAsLong() + SWEEP_EVERY);
    }

    /** Empty when {@code client} may make a request now (and it is counted); else how long until it may. */
    Optional<Duration> acquire(String client) {
        long now = nanoClock.getAsLong();
        long sweep = nextSweep.get();
        if (fullAt.size() > MAX_CLIENTS && now - sweep >= 0 && nextSweep.compareAndSet(sweep, now + SWEEP_EVERY)) {
            fullAt.values().removeIf(full -> full - now <= 0);
            if (fullAt.size() > MAX_CLIENTS) {
                fullAt.clear();
            }
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
