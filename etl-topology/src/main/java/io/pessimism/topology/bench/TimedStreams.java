package io.pessimism.topology.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One Kafka Streams app's timed pass in a bench: started (a new group: from its topics' start),
 * timed from RUNNING until it is done, then closed, leaving its group, and its local state deleted.
 * It fails when the app stops or is not done within the bench's timeout.
 */
final class TimedStreams {

    /** When the pass is done; polled every {@code pollMillis}. */
    @FunctionalInterface
    interface Done {
        boolean done() throws InterruptedException;
    }

    /**
     * @param seconds          from RUNNING until done
     * @param streamThreadBusy the app's one stream thread's CPU time over that wall time (0..1)
     */
    record Timing(double seconds, double streamThreadBusy) {
    }

    private TimedStreams() {
    }

    /** How long a pass may take to commit and close once done. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Runs {@code streams} (application id {@code applicationId}) until {@code done}.
     *
     * @param what names the pass in errors
     * @throws IllegalStateException when the app stops in ERROR or is not done within {@code timeout}
     */
    static Timing run(KafkaStreams streams, String applicationId, Done done, long pollMillis, Duration timeout,
            String what) {
        try {
            streams.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                check(streams, deadline, timeout, what);
                TimeUnit.MILLISECONDS.sleep(5);
            }
            StreamThreadClock thread = StreamThreadClock.start(applicationId);
            long start = System.nanoTime();
            while (!done.done()) {
                check(streams, deadline, timeout, what);
                TimeUnit.MILLISECONDS.sleep(pollMillis); // the clock of the measure
            }
            Timing timing = new Timing((System.nanoTime() - start) / 1e9, thread.busy());
            // the pass's output is checked next: its last transaction must be committed, not cut off by a
            // close that ran out of time on a loaded machine
            if (!streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT))) {
                throw new IllegalStateException(what + " did not close within " + CLOSE_TIMEOUT
                        + ": its last transaction may not be committed, so its output cannot be checked");
            }
            return timing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + what, e);
        } finally {
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
        }
    }

    private static void check(KafkaStreams streams, long deadline, Duration timeout, String what) {
        if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
            throw new IllegalStateException(what + " stopped in " + streams.state() + "; see its log");
        }
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException(what + " not done within " + timeout);
        }
    }
}
