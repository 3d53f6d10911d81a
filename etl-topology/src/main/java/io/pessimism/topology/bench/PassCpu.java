package io.pessimism.topology.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * What one bench pass cost in CPU: this JVM's core-seconds (the bench's broker runs in it too) and
 * the machine's share of its cores busy over the pass, from {@link #start()} to {@link #end()}.
 *
 * @param jvmNanos CPU time of this JVM (a running total after {@code start}, the pass's after {@code end})
 * @param machine  the machine's CPU load over the pass, 0..1 (0 until {@code end})
 */
record PassCpu(long jvmNanos, double machine) {

    private static final OperatingSystemMXBean CPU = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

    /** Starts an interval: the machine's load is measured from this call on. */
    static PassCpu start() {
        CPU.getCpuLoad();
        return new PassCpu(CPU.getProcessCpuTime(), 0);
    }

    PassCpu end() {
        return new PassCpu(CPU.getProcessCpuTime() - jvmNanos, Math.max(0, CPU.getCpuLoad()));
    }

    @Override
    public String toString() {
        return String.format("JVM %.2f core-s, machine %.0f%%", jvmNanos / 1e9, 100 * machine);
    }
}
