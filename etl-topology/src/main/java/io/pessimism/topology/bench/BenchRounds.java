package io.pessimism.topology.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What every round-based bench reports with its figures: medians, and how loaded the machine was. */
public final class BenchRounds {

    private BenchRounds() {
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The machine's 1-, 5- and 15-minute load averages (other work slows every pass, and the figures say so). */
    public static String loadAverage() {
        int cores = Runtime.getRuntime().availableProcessors();
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + ", " + parts[1] + ", " + parts[2] + " on " + cores + " cores";
        } catch (IOException | RuntimeException e) {
            return String.format("%.2f (1 minute) on %d cores",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), cores);
        }
    }
}
