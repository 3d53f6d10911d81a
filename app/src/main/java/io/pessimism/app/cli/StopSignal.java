package io.pessimism.app.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM / Ctrl-C for a long-running command: the JVM's shutdown hook closes the command's service
 * (which commits and leaves cleanly), then releases whoever waits in {@link #await()}.
 */
final class StopSignal {

    private static final Logger log = LoggerFactory.getLogger(StopSignal.class);

    private final CountDownLatch stopped = new CountDownLatch(1);

    StopSignal(String command, AutoCloseable service) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                service.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", command, e.toString());
            } finally {
                stopped.countDown();
            }
        }, "pessimism-" + command + "-shutdown"));
    }

    /** Waits until the process is asked to stop and the service is closed. */
    void await() throws InterruptedException {
        stopped.await();
    }

    /** Waits at most {@code timeout}; true once the process was asked to stop. */
    boolean await(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
