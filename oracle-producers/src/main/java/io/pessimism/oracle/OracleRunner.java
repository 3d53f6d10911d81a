package io.pessimism.oracle;

import io.pessimism.logging.LogContext;
import io.pessimism.oracle.rpc.Backoff;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every oracle runs on, as a {@link ReadRoutine}: on a thread of its own, open a session,
 * step it until stopped or done, and answer failures the same way for every oracle
 * ({@link FailureKind}): a node error backs off and steps the same session again (errors with no step
 * going through between them, for longer than the {@link NodeErrorBudget}, make the oracle
 * {@link OracleState#NODE_FAILING} until one does); a Kafka error
 * throws the session away and opens a new one after a backoff (its position is read back from Kafka:
 * nothing else holds it); being fenced, or a failure no retry mends, stops the oracle for good
 * ({@link OracleState#FAILED}). A stop request wakes a session waiting for a new head.
 *
 * <p>The oracle itself ({@link OracleSessions}) only opens sessions and steps them; its status is the
 * {@code status} reference given to both, which the runner moves through STARTING, BACKING_OFF,
 * NODE_FAILING, DONE, FAILED and STOPPED, and the session through CATCHING_UP and LIVE with its heads and reorgs.
 */
public final class OracleRunner implements ReadRoutine {

    private static final Logger LOG = LoggerFactory.getLogger(OracleRunner.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final String name;
    private final String register;
    private final AtomicReference<OracleStatus> status;
    private final Backoff backoff;
    private final NodeErrorBudget budget;
    private final OracleSessions sessions;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final Thread thread;
    /** The open session, or null; written on the runner's thread, read by {@link #requestStop}. */
    private volatile OracleSession session;

    /**
     * @param name the oracle's output topic: names its thread and its logs, and its transactional id
     *             is {@link OracleProducers#transactionalId} of it
     * @param register the oracle's register, which its thread logs as (with the status's network)
     * @param status the oracle's status, updated by the runner and by the oracle's sessions
     * @param backoff the waits after consecutive failures ({@link OracleSettings#backoff()})
     * @param budget how long the node may fail before the oracle is NODE_FAILING ({@link OracleSettings#errorBudget()})
     */
    public OracleRunner(String name, String register, AtomicReference<OracleStatus> status, Backoff backoff,
            NodeErrorBudget budget, OracleSessions sessions) {
        this.name = name;
        this.register = register;
        this.status = status;
        this.backoff = backoff;
        this.budget = budget;
        this.sessions = sessions;
        this.thread = new Thread(this::run, "oracle-" + name);
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("oracle " + name + " was started or closed already");
        }
        thread.start();
    }

    @Override
    public OracleStatus status() {
        return status.get();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** Stops the loop; waits for it, interrupting it when it does not stop within a grace period. */
    @Override
    public void close() {
        requestStop();
        if (started.compareAndSet(false, true)) { // never started: nothing runs; release what the oracle holds
            status.updateAndGet(s -> s.withState(OracleState.STOPPED));
            closeQuietly(sessions);
            return;
        }
        try {
            if (thread.isAlive()) {
                thread.join(STOP_GRACE.toMillis());
                if (thread.isAlive()) {
                    LOG.warn("{}: the oracle did not stop within {}; interrupting it", name, STOP_GRACE);
                    thread.interrupt();
                    thread.join(STOP_GRACE.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requestStop() {
        stop.countDown();
        OracleSession open = session;
        if (open != null) {
            open.wake();
        }
    }

    private boolean stopRequested() {
        return stop.getCount() == 0 || Thread.currentThread().isInterrupted();
    }

    private void run() {
        LogContext.oracle(status.get().network(), register); // this thread, and the pools it starts, work for this oracle
        try {
            loop(); // answers every RuntimeException itself
        } catch (Error e) { // the thread dies: its status must not go on saying it runs
            fail(e);
            throw e;
        } finally {
            closeSession();
            closeQuietly(sessions);
        }
    }

    private void loop() {
        while (!stopRequested()) {
            try {
                if (session == null) {
                    status.updateAndGet(s -> s.withState(OracleState.STARTING));
                    session = sessions.open();
                    continue; // a stop requested while opening found no session to wake: look again first
                }
                if (session.step()) {
                    status.updateAndGet(s -> s.withState(OracleState.DONE));
                    return;
                }
                backoff.reset();
                if (budget.answered()) {
                    status.updateAndGet(OracleStatus::withNodeAnswering);
                    LOG.info("{}: the node answers again; the pipelines it feeds leave ERROR", name);
                }
            } catch (RuntimeException e) {
                if (!recover(e)) {
                    return;
                }
            }
        }
        status.updateAndGet(s -> s.withState(OracleState.STOPPED));
    }

    /** @return false when the oracle has failed for good */
    private boolean recover(RuntimeException e) {
        FailureKind kind = FailureKind.of(e);
        if (stopRequested() && (kind == FailureKind.NODE || kind == FailureKind.KAFKA)) {
            LOG.debug("{}: stopping after {}", name, describe(e)); // e.g. a wait the stop request ended
            return true;
        }
        switch (kind) {
            case NODE -> {
                boolean wasSpent = budget.spent();
                Optional<String> failing = budget.failed(e.getMessage());
                status.updateAndGet(s -> {
                    OracleStatus counted = s.withNodeError(e.getMessage());
                    return failing.map(counted::withNodeFailing).orElse(counted);
                });
                if (failing.isPresent() && !wasSpent) {
                    LOG.error("{}: {}; the pipelines it feeds show ERROR until it answers", name, failing.get());
                } else {
                    LOG.warn("{}: node error, retrying the same step: {}", name, e.getMessage());
                }
                pause(backoff.next());
                return true;
            }
            case KAFKA -> {
                status.updateAndGet(s -> s.withKafkaError(describe(e)));
                LOG.warn("{}: Kafka error, reopening the producer: {}", name, describe(e));
                closeSession();
                pause(backoff.next());
                return true;
            }
            case FENCED -> {
                // another instance with our transactional id took over: stopping is what prevents split-brain
                fail(new KafkaException("fenced by another instance with transactional id "
                        + OracleProducers.transactionalId(name) + "; this one stops: " + describe(e), e));
                return false;
            }
            default -> {
                fail(e);
                return false;
            }
        }
    }

    private void fail(Throwable e) {
        status.updateAndGet(s -> s.withFailure(describe(e)));
        LOG.error("{}: oracle stopped: {}", name, describe(e), e);
    }

    private void closeSession() {
        OracleSession open = session;
        session = null;
        closeQuietly(open);
    }

    private void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("{}: closing {}: {}", name, closeable, e.toString());
        }
    }

    private void pause(Duration duration) {
        try {
            stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    // each cause's class and message: a transactional producer's error wraps the broker's refusal
    // (TopicAuthorizationException naming the topic), which is what an operator must read
    private static String describe(Throwable e) {
        return Stream.iterate(e, t -> t != null, Throwable::getCause).limit(5)
                .map(t -> t.getClass().getSimpleName() + ": " + t.getMessage())
                .collect(Collectors.joining(" <- caused by "));
    }
}
