package io.pessimism.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OS process started by a fixture, its stdout and stderr appended to a log file.
 *
 * <p>Every live child is also killed by a JVM shutdown hook, so a test run that forgets to close a
 * fixture does not leave brokers or nodes behind.
 */
public final class ChildProcess {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final int TAIL_LINES = 40;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> LIVE.forEach(Process::destroyForcibly), "testkit-child-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path logFile;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Starts {@code command}; its output is appended to {@code logFile} (kept across restarts). */
    public static ChildProcess start(String name, List<String> command, Path logFile) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            Process process = builder.start();
            LIVE.add(process);
            LOG.debug("started {} (pid {}): {}", name, process.pid(), command);
            return new ChildProcess(name, process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    /**
     * Polls {@code probe} until it returns true; exceptions from the probe count as "not yet".
     * Fails with the log tail when the process exits first or the timeout passes.
     */
    public void awaitReady(Duration timeout, Callable<Boolean> probe) {
        try {
            Awaitility.await(name + " ready")
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                    .failFast(name + " exited", () -> !process.isAlive())
                    .until(probe);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            String state = process.isAlive() ? "still running" : "exited with code " + process.exitValue();
            kill();
            throw new IllegalStateException(name + " did not become ready within " + timeout + " (" + state
                    + "); last lines of " + logFile + ":\n" + logTail(), e);
        }
    }

    /** Waits for the process to end by itself and returns its exit code; kills it after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException(name + " did not finish within " + timeout
                        + "; last lines of " + logFile + ":\n" + logTail());
            }
            LIVE.remove(process);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL, then waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        waitGone(KILL_WAIT, "SIGKILL");
    }

    /** SIGTERM, waits up to {@code grace} for a clean exit, then SIGKILL. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LIVE.remove(process);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("{} (pid {}) ignored SIGTERM for {}; killing it", name, process.pid(), grace);
        kill();
    }

    private void waitGone(Duration timeout, String signal) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " (pid " + process.pid() + ") still alive "
                        + timeout + " after " + signal);
            }
            LIVE.remove(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name + " to die", e);
        }
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the log file, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
    }
}
