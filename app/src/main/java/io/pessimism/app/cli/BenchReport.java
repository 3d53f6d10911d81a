package io.pessimism.app.cli;

import io.pessimism.topology.bench.BenchRounds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * The Markdown report of {@code pessimism bench all} (docs/bench-report.md describes it): where it
 * ran (cores, load, Java, Kafka, OS, git commit), a summary table, then one section per benchmark
 * with the command that reproduces it, the load average before and after, how long it took, and
 * its figures as the benchmark printed them (medians, rounds, ratios, what limits them).
 */
final class BenchReport {

    /**
     * The machine and versions a run measured.
     *
     * @param commit the git commit of the checkout the bench ran in, or why it is unknown
     */
    record Machine(int cores, String loadAverage, String java, String kafka, String os, String commit) {

        /** This JVM's machine, now; the commit of the checkout at {@code repo} (the working directory by default). */
        static Machine probe(Path repo) {
            return new Machine(Runtime.getRuntime().availableProcessors(), BenchRounds.loadAverage(),
                    System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                            + System.getProperty("java.vendor") + ")",
                    AppInfoParser.getVersion(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                            + System.getProperty("os.arch"),
                    commit(repo));
        }

        private static String commit(Path repo) {
            Optional<String> head = git(repo, "rev-parse", "HEAD");
            if (head.isEmpty()) {
                return "unknown (not run in a git checkout)";
            }
            boolean dirty = git(repo, "status", "--porcelain", "--untracked-files=no").map(s -> !s.isBlank())
                    .orElse(false);
            return head.get() + (dirty ? " with uncommitted changes" : "");
        }

        private static Optional<String> git(Path repo, String... args) {
            List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
            command.addAll(List.of(args));
            try {
                Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
                try (InputStream in = git.getInputStream()) {
                    String output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (!git.waitFor(10, TimeUnit.SECONDS)) {
                        git.destroyForcibly();
                        return Optional.empty();
                    }
                    return git.exitValue() == 0 ? Optional.of(output) : Optional.empty();
                }
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /**
     * One benchmark's part of the report.
     *
     * @param name       the subcommand, e.g. {@code pipe}
     * @param command    the command line that reproduces it
     * @param figures    the lines of its figures, or empty when it failed
     * @param failure    why it failed, when it did
     */
    record Section(String name, String command, String loadBefore, String loadAfter, Duration took,
            List<String> figures, Optional<String> failure) {

        Section {
            figures = List.copyOf(figures);
        }
    }

    private BenchReport() {
    }

    /** The report of a run started at {@code started} by {@code command} on {@code machine}. */
    static String markdown(String command, Instant started, Duration took, Machine machine, List<Section> sections) {
        StringBuilder md = new StringBuilder();
        md.append("# pessimism bench report\n\n");
        md.append("Produced by `").append(command).append("`, started ").append(started).append(", took ")
                .append(seconds(took)).append(". Each benchmark starts its own throw-away broker (and anvil where ")
                .append("it needs a node) in this JVM; its figures are medians of alternating rounds after warm-ups, ")
                .append("and every round's output was counted and checked (a wrong one fails the benchmark).\n\n");
        md.append("## Machine\n\n| | |\n|---|---|\n");
        row(md, "cores", Integer.toString(machine.cores()));
        row(md, "load average at the start (1, 5, 15 min)", machine.loadAverage());
        row(md, "Java", machine.java());
        row(md, "Kafka", machine.kafka());
        row(md, "OS", machine.os());
        row(md, "git commit", machine.commit());
        md.append("\n## Summary\n\n| bench | result | took | load average before → after |\n|---|---|---|---|\n");
        for (Section section : sections) {
            md.append("| [").append(section.name()).append("](#bench-").append(section.name()).append(") | ")
                    .append(section.failure().map(f -> "**FAILED**: " + cell(f)).orElse(cell(headline(section))))
                    .append(" | ").append(seconds(section.took())).append(" | ").append(section.loadBefore())
                    .append(" → ").append(section.loadAfter()).append(" |\n");
        }
        for (Section section : sections) {
            md.append("\n## bench ").append(section.name()).append("\n\n");
            md.append("`").append(section.command()).append("` took ").append(seconds(section.took()))
                    .append("; load average before ").append(section.loadBefore()).append(", after ")
                    .append(section.loadAfter()).append(".\n\n");
            section.failure().ifPresent(f -> md.append("**FAILED**: ").append(f).append("\n\n"));
            if (!section.figures().isEmpty()) {
                md.append("```\n");
                section.figures().forEach(line -> md.append(line).append('\n'));
                md.append("```\n");
            }
        }
        return md.toString();
    }

    /**
     * The figures' first two lines that say something (a header ending in ':' leads to the lines
     * under it), their runs of spaces collapsed: e.g. create's request count and its percentiles.
     */
    private static String headline(Section section) {
        List<String> lines = section.figures().stream().map(l -> l.strip().replaceAll("\\s+", " "))
                .filter(l -> !l.isEmpty() && !l.endsWith(":")).limit(2).toList();
        return lines.isEmpty() ? "no figures" : String.join(" / ", lines);
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(cell(value)).append(" |\n");
    }

    /** Text safe in a table cell: one line, no column breaks. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    private static String seconds(Duration took) {
        return String.format("%.0f s", took.toMillis() / 1000.0);
    }
}
