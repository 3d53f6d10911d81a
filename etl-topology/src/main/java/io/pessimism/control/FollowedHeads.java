package io.pessimism.control;

import io.pessimism.network.Network;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Chain heads read on a thread of their own every {@code interval} and answered from memory, so
 * the control plane's single writer never waits on a broker round trip to advance a horizon. A
 * head a little old only makes branches wait a little longer; it never lets one match early.
 */
public final class FollowedHeads implements NextBlocks, AutoCloseable {

    private final NextBlocks source;
    private final Set<Network> networks;
    private final Map<Network, Long> next = new ConcurrentHashMap<>();
    private final Map<Network, String> errors = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reader;

    public FollowedHeads(NextBlocks source, Set<Network> networks, Duration interval) {
        this.source = source;
        this.networks = Set.copyOf(networks);
        this.reader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "followed-heads");
            thread.setDaemon(true);
            return thread;
        });
        reader.scheduleWithFixedDelay(this::readAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void readAll() {
        for (Network network : networks) {
            try {
                next.put(network, source.nextBlock(network));
                errors.remove(network);
            } catch (RuntimeException e) {
                errors.put(network, e.getMessage()); // keep the last head read: nothing moves past it
            }
        }
    }

    /** The last head read + 1; fails naming why when none was read yet. */
    @Override
    public long nextBlock(Network network) {
        Long block = next.get(network);
        if (block == null) {
            throw new IllegalStateException("no head of " + network.label() + " read yet"
                    + (errors.containsKey(network) ? ": " + errors.get(network) : ""));
        }
        return block;
    }

    @Override
    public void close() {
        reader.shutdownNow();
        try {
            reader.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
