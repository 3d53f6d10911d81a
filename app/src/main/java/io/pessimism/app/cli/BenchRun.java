package io.pessimism.app.cli;

import java.io.PrintStream;
import java.util.List;

/** A benchmark of {@code pessimism bench}: it prints its progress and figures, and returns the figures' lines. */
interface BenchRun {

    /**
     * Runs the benchmark as its options say, on throw-away brokers and chains.
     *
     * @return the lines of its figures (medians, spread, ratios, what limits them), for a report
     */
    List<String> measure(PrintStream out) throws Exception;
}
