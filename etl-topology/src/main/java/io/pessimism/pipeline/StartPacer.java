package io.pessimism.pipeline;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a few branches start at a time. Starting a Kafka Streams instance is CPU-bound (its
 * clients, the group join, the transactional producer's init, on the broker too), and ten
 * started at once on a small host starve the control plane, whose replies users wait for.
 * A start waits for a turn and gives it back when its branch runs or fails, or after the longest
 * turn ({@link #MAX_TURN} in production), so a slow start delays the next one by that much at most
 * and never stalls it; closing the runtime lets every waiting start go.
 */
final class StartPacer {

    private static final Logger log = LoggerFactory.getLogger(StartPacer.class);

    /** The longest turn in production: a branch start takes about 1 s on a 2-core host. */
    static final Duration MAX_TURN = Duration.ofSeconds(5);

    /** How often a waiting start looks whether the runtime is closing. */
    private static final long WAIT_STEP_MS = 100;

    private final Semaphore turns;
    private final Duration maxTurn;
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    /**
     * @param atOnce  how many branches may start at once
     * @param maxTurn the longest a start holds its turn
     */
    StartPacer(int atOnce, Duration maxTurn, ScheduledExecutorService timer) {
        if (atOnce < 1) {
            throw new IllegalArgumentException("at least one branch must be able to start, was " + atOnce);
        }
        this.turns = new Semaphore(atOnce, true);
        this.maxTurn = maxTurn;
        this.timer = timer;
    }

    /** Half the processors, at least one: the other half stays for the control plane and running branches. */
    static int defaultAtOnce() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * Waits for a turn: each start ahead holds one until it runs or fails, at most the longest turn. Once the
     * runtime closes (or the thread is interrupted) it returns at once, without a turn.
     */
    Turn await(String prefix) {
        boolean granted = false;
        try {
            while (!closed && !granted) {
                granted = turns.tryAcquire(WAIT_STEP_MS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!granted) {
            log.debug("branch {}: goes on without a start turn (the runtime is closing)", prefix);
        }
        Turn turn = new Turn(granted);
        if (granted) {
            timer.schedule(turn::end, maxTurn.toMillis(), TimeUnit.MILLISECONDS);
        }
        return turn;
    }

    /** Lets every waiting start go, without a turn: the runtime is closing. */
    void close() {
        closed = true;
    }

    /** Turns free now (tests). */
    int available() {
        return turns.availablePermits();
    }

    /** One start's turn; ending it twice is harmless. */
    final class Turn {
        private final AtomicBoolean holding;

        private Turn(boolean granted) {
            this.holding = new AtomicBoolean(granted);
        }

        boolean granted() {
            return holding.get();
        }

        void end() {
            if (holding.getAndSet(false)) {
                turns.release();
            }
        }
    }
}
