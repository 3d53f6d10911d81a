package io.pessimism.oracle.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress of one long step of a benchmark (its set-up): a line every few seconds with what is done
 * of the total and the rate so far, and a last line when it ends.
 */
final class Progress {

    static final Duration EVERY = Duration.ofSeconds(3);

    private final PrintStream out;
    private final String what;
    private final String unit;
    private final long total;
    private final long started = System.nanoTime();
    private long lastLine = started;

    /** @param unit what is counted, plural ("blocks") */
    Progress(PrintStream out, String what, long total, String unit) {
        this.out = out;
        this.what = what;
        this.total = total;
        this.unit = unit;
    }

    /** Says how far it is when the last line is a few seconds old. */
    void at(long done) {
        long now = System.nanoTime();
        if (now - lastLine >= EVERY.toNanos()) {
            lastLine = now;
            out.println(line(done, now, "..."));
        }
    }

    /** Says that it ended; how long it took. */
    Duration done(long done) {
        long now = System.nanoTime();
        out.println(line(done, now, "done"));
        return Duration.ofNanos(now - started);
    }

    private String line(long done, long now, String state) {
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        return String.format(Locale.ROOT, "set-up: %s: %d/%d %s (%.0f%%) in %.1f s, %.1f %s/s %s", what, done, total,
                unit, 100.0 * done / Math.max(1, total), seconds, done / seconds, unit, state);
    }
}
