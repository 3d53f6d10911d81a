package io.pessimism.app.cli;

import io.pessimism.topology.bench.BenchRounds;
import io.pessimism.topology.bench.PipeBench;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pessimism bench all}: every benchmark of {@code pessimism bench}, one after the other, at
 * sizes meant to take about 10-15 minutes on 2 cores ({@code --scale} multiplies them), then a
 * Markdown report ({@link BenchReport}). Each benchmark runs as its own subcommand would with the
 * options this command gives it (the report names them), so its figures are the ones it prints.
 * A failing benchmark is reported as failed and the others still run; the exit code is then 1.
 */
@Command(name = "all", mixinStandardHelpOptions = true,
        description = {"Runs every benchmark (backfill, pipe, create, balance, replay, aggregate) and writes a "
                + "Markdown report: each one's figures, ratios and rounds, the command that reproduces it, the load "
                + "average before and after, and the machine (cores, load, Java, Kafka, OS, git commit).",
                "At --scale 1 it is sized for about 10-15 minutes on 2 cores; run it on a quiet machine. A failing benchmark "
                + "is reported and the others still run (exit code 1)."})
final class BenchAllCommand implements Callable<Integer> {

    @Option(names = "--report", defaultValue = "bench-report.md",
            description = "Where the Markdown report goes (default: ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--scale", defaultValue = "1",
            description = "Multiplies every benchmark's size (blocks, requests, addresses, tuples), e.g. 0.1 for a "
                    + "quick look or 2 for steadier figures (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--warmups", defaultValue = "1",
            description = "Uncounted passes of each kind before the rounds, in every benchmark that has them "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Counted rounds, in every benchmark that has them (default: ${DEFAULT-VALUE}).")
    int rounds;

    /** One benchmark of the run: its subcommand with the options this run gives it. */
    record Planned(String name, BenchRun bench, List<String> args) {

        String command() {
            return "pessimism bench " + name + " " + String.join(" ", args);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!(scale > 0) || warmups < 0 || rounds < 1) {
            throw new IllegalArgumentException("--scale must be > 0, --warmups >= 0 and --rounds >= 1: " + scale + ", "
                    + warmups + ", " + rounds);
        }
        PrintStream out = System.out;
        Instant started = Instant.now();
        BenchReport.Machine machine = BenchReport.Machine.probe(Path.of(System.getProperty("pessimism.repo.root", ".")));
        List<BenchReport.Section> sections = new ArrayList<>();
        for (Planned planned : plan()) {
            out.println();
            out.println("== " + planned.command());
            sections.add(run(planned, out));
        }
        String command = "pessimism bench all --scale " + java.math.BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString()
                + " --warmups " + warmups + " --rounds " + rounds;
        String markdown = BenchReport.markdown(command, started, Duration.between(started, Instant.now()), machine,
                sections);
        Path parent = report.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(report, markdown);
        long failed = sections.stream().filter(s -> s.failure().isPresent()).count();
        out.println();
        out.println("report written to " + report.toAbsolutePath() + (failed > 0 ? "; " + failed + " of "
                + sections.size() + " benchmarks FAILED" : "; every benchmark passed its checks"));
        return failed > 0 ? 1 : 0;
    }

    /** Every benchmark at this run's scale; sizes at scale 1 are meant to take about 10-15 minutes in all on 2 cores. */
    List<Planned> plan() {
        String w = Integer.toString(warmups);
        String r = Integer.toString(rounds);
        return List.of(
                planned("backfill", new BenchCommand.Backfill(), "--realistic-blocks", size(1_000, 5),
                        "--empty-blocks", size(10_000, 20), "--warmups", w, "--rounds", r),
                planned("pipe", new BenchCommand.Pipe(), "--blocks", size(PipeBench.DEFAULT_BLOCKS, 10),
                        "--warmups", w, "--rounds", r),
                planned("create", new BenchCommand.Create(), "--requests", size(1_000, 20), "--concurrency", "1,8",
                        "--warm-up", size(200, 1)),
                planned("balance", new BenchCommand.Balance(), "--addresses", size(1_000, 10), "--blocks",
                        size(500, 5), "--warmups", w, "--rounds", r),
                planned("replay", new BenchCommand.Replay(), "--blocks", size(100_000, 10), "--warmups", w,
                        "--rounds", r),
                planned("aggregate", new BenchCommand.Aggregate(), "--tuples", size(20_000, 10), "--warmups", w,
                        "--rounds", r),
                planned("latency", new BenchCommand.Latency(), "--blocks", size(400, 10)));
    }

    /** The benchmark's subcommand with its options parsed as on the command line (the rest at their defaults). */
    private static Planned planned(String name, BenchRun bench, String... args) {
        new CommandLine(bench).parseArgs(args);
        return new Planned(name, bench, List.of(args));
    }

    private String size(int atScaleOne, int least) {
        return Long.toString(Math.max(least, Math.round(atScaleOne * scale)));
    }

    private static BenchReport.Section run(Planned planned, PrintStream out) {
        String before = BenchRounds.loadAverage();
        long start = System.nanoTime();
        List<String> figures = List.of();
        Optional<String> failure = Optional.empty();
        try {
            figures = planned.bench().measure(out);
        } catch (Exception e) {
            failure = Optional.of(e.toString());
            out.println("bench " + planned.name() + " FAILED: " + e);
            e.printStackTrace(out);
        }
        return new BenchReport.Section(planned.name(), planned.command(), before, BenchRounds.loadAverage(),
                Duration.ofNanos(System.nanoTime() - start), figures, failure);
    }
}
