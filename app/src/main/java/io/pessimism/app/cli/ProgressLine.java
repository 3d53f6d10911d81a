package io.pessimism.app.cli;

import io.pessimism.api.PipelineView;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A pipeline's state and progress as the CLI shows them ({@code pessimism backtest},
 * {@code pessimism pipelines watch}): on a terminal, one line redrawn in place with {@code \r}, a
 * bar, blocks done of the total, the rate and the time left; elsewhere (CI logs, pipes), the same
 * line printed plainly when the state or its reason changes, and at most every few seconds while
 * it only progresses. A change of state (or of the reason) always starts a new line, so the
 * states a pipeline went through stay on the screen.
 */
final class ProgressLine {

    /** How often, at most, a plain (not a terminal) output prints a line while nothing but progress changes. */
    static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private static final int BAR_WIDTH = 20;

    private final PrintWriter out;
    private final boolean terminal;
    private final long plainEveryMillis;
    private final LongSupplier clock;

    private String shownState;
    private String shownReason;
    private String shownLine;
    private long shownAt;
    private int drawnWidth; // of the line drawn in place on a terminal, 0 when the cursor is at a line's start

    /**
     * @param terminal whether {@code out} is a terminal, where the line is redrawn in place
     * @param clock    milliseconds, for the pace of plain lines
     */
    ProgressLine(PrintWriter out, boolean terminal, Duration plainEvery, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.plainEveryMillis = plainEvery.toMillis();
        this.clock = clock;
    }

    /** A progress line on {@code out}, redrawn in place when the process runs on a terminal. */
    static ProgressLine on(PrintWriter out) {
        return new ProgressLine(out, System.console() != null, PLAIN_EVERY, System::currentTimeMillis);
    }

    /** Shows the pipeline as it is now. */
    synchronized void show(PipelineView view) {
        String state = view.state();
        String reason = view.status() == null ? null : view.status().reason();
        String line = describe(view);
        long now = clock.getAsLong();
        boolean changed = !state.equals(shownState) || !Objects.equals(reason, shownReason);
        if (changed) {
            endLine();
            emit(line, now);
        } else if (!line.equals(shownLine) && (terminal || now - shownAt >= plainEveryMillis)) {
            emit(line, now);
        }
        shownState = state;
        shownReason = reason;
    }

    /** Prints {@code message} on a line of its own (below the line drawn in place, which it ends). */
    synchronized void note(String message) {
        endLine();
        out.println(message);
        out.flush();
    }

    /** Ends the line drawn in place, if any, so what follows starts on a new line. */
    synchronized void endLine() {
        if (drawnWidth > 0) {
            out.println();
            out.flush();
            drawnWidth = 0;
        }
    }

    private void emit(String line, long now) {
        if (terminal) {
            int erase = Math.max(0, drawnWidth - line.length());
            out.print("\r" + line + " ".repeat(erase));
            drawnWidth = line.length();
        } else {
            out.println(line);
        }
        out.flush();
        shownLine = line;
        shownAt = now;
    }

    /**
     * One line saying where the pipeline is: its state; with a backfill's or backtest's figures a bar,
     * the share done, blocks done of the total, the rate and the time left; else its height; the
     * source's head; and the reason of an error or a stop.
     */
    static String describe(PipelineView view) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-8s", view.state()));
        PipelineView.Status status = view.status();
        if (status == null) {
            return line.toString().strip();
        }
        if (status.blocksTotal() != null && status.blocksDone() != null) {
            long done = status.blocksDone();
            long total = status.blocksTotal();
            double share = status.progress() != null ? status.progress() : total == 0 ? 1.0 : (double) done / total;
            line.append(' ').append(bar(share))
                    .append(String.format(Locale.ROOT, " %3d%%  %d/%d blocks", Math.round(share * 100), done, total));
            if (status.blocksPerSecond() != null) {
                line.append(String.format(Locale.ROOT, "  %.1f blocks/s", status.blocksPerSecond()));
            }
            if (status.etaSeconds() != null && done < total) {
                line.append("  ETA ").append(duration(status.etaSeconds()));
            }
            if (done >= total && "backtest".equals(view.type()) && "backfill".equals(view.state())
                    && view.endHeight() != null) {
                line.append("  every block read; waiting until the chain is a reorg window past block ")
                        .append(view.endHeight());
            }
        } else if (status.height() != null) {
            line.append(" block ").append(status.height());
        }
        if (status.headHeight() != null) {
            line.append("  head ").append(status.headHeight());
            if (status.lag() != null && status.blocksTotal() == null) {
                line.append("  lag ").append(status.lag());
            }
        }
        if (status.reason() != null) {
            line.append("  (").append(status.reason()).append(')');
        }
        return line.toString();
    }

    private static String bar(double share) {
        int full = (int) Math.round(Math.max(0, Math.min(1, share)) * BAR_WIDTH);
        return "[" + "#".repeat(full) + "-".repeat(BAR_WIDTH - full) + "]";
    }

    /** {@code 42s}, {@code 3m05s}, {@code 1h02m}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
