package io.pessimism.topology.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * How busy the one stream thread of a running Kafka Streams app was since {@link #start}: its CPU
 * time over the wall time. Near 100% means the app is bound by that thread, not by waiting.
 */
final class StreamThreadClock {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long thread;
    private final long startWall;
    private final long startCpu;

    private StreamThreadClock(long thread) {
        this.thread = thread;
        this.startWall = System.nanoTime();
        this.startCpu = THREADS.getThreadCpuTime(thread);
    }

    /**
     * Starts the clock of the stream thread of the app with this application id (it is RUNNING).
     *
     * @throws IllegalStateException when no stream thread of that app runs
     */
    static StreamThreadClock start(String applicationId) {
        long thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(applicationId) && t.getName().contains("-StreamThread-"))
                .mapToLong(Thread::getId).findFirst()
                .orElseThrow(() -> new IllegalStateException("no stream thread of " + applicationId + " is running"));
        return new StreamThreadClock(thread);
    }

    /** The thread's CPU time since the start over the wall time since the start (0..1). */
    double busy() {
        long wall = System.nanoTime() - startWall;
        return wall <= 0 ? 0 : (double) (THREADS.getThreadCpuTime(thread) - startCpu) / wall;
    }
}
