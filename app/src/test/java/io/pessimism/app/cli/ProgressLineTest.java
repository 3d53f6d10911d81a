package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.api.PipelineView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private final StringWriter written = new StringWriter();
    private final AtomicLong now = new AtomicLong();

    @Test
    void aBacktestsLineHasTheBarTheBlocksTheRateAndTheTimeLeft() {
        assertThat(ProgressLine.describe(backtest("backfill", status(6L, 11L, 0.5454, 2.5, 2L, null))))
                .isEqualTo("backfill [###########---------]  55%  6/11 blocks  2.5 blocks/s  ETA 2s  head 40");
        assertThat(ProgressLine.describe(backtest("done", status(11L, 11L, 1.0, 3.0, 0L, null))))
                .isEqualTo("done     [####################] 100%  11/11 blocks  3.0 blocks/s  head 40");
    }

    @Test
    void aBacktestThatHasReadItsRangeSaysItWaitsForFinality() {
        assertThat(ProgressLine.describe(backtest("backfill", status(11L, 11L, 1.0, null, null, null))))
                .endsWith("11/11 blocks  every block read; waiting until the chain is a reorg window past block 15"
                        + "  head 40");
    }

    @Test
    void aLivePipelineShowsItsHeightHeadAndLagAndAnErrorItsReason() {
        PipelineView.Status live = new PipelineView.Status("live", 38L, 40L, 2L, null, null, null, null, null, null, 0);
        assertThat(ProgressLine.describe(view("live", "live", live))).isEqualTo("live     block 38  head 40  lag 2");
        PipelineView.Status error = new PipelineView.Status("error", 38L, null, null, null, null, null, null, null,
                "IllegalStateException: boom", 0);
        assertThat(ProgressLine.describe(view("error", "live", error)))
                .isEqualTo("error    block 38  (IllegalStateException: boom)");
        assertThat(ProgressLine.describe(view("starting", "backtest", null))).isEqualTo("starting");
    }

    @Test
    void timeLeftReadsInSecondsMinutesOrHours() {
        assertThat(List.of(ProgressLine.duration(42), ProgressLine.duration(185), ProgressLine.duration(3720)))
                .containsExactly("42s", "3m05s", "1h02m");
    }

    @Test
    void plainOutputPrintsEachStateAtOnceAndProgressAtMostEveryPeriod() {
        ProgressLine line = new ProgressLine(new PrintWriter(written), false, Duration.ofSeconds(5), now::get);

        line.show(backtest("starting", null));
        line.show(backtest("backfill", status(1L, 11L, null, null, null, null)));
        now.set(1_000);
        line.show(backtest("backfill", status(3L, 11L, null, null, null, null))); // too soon: not printed
        now.set(5_000);
        line.show(backtest("backfill", status(3L, 11L, null, null, null, null)));
        now.set(10_000);
        line.show(backtest("backfill", status(3L, 11L, null, null, null, null))); // unchanged: not printed
        line.show(backtest("error", status(3L, 11L, null, null, null, "lost the broker")));
        line.show(backtest("done", status(11L, 11L, null, null, null, null)));

        assertThat(written.toString().lines()).containsExactly(
                "starting",
                "backfill [##------------------]   9%  1/11 blocks  head 40",
                "backfill [#####---------------]  27%  3/11 blocks  head 40",
                "error    [#####---------------]  27%  3/11 blocks  head 40  (lost the broker)",
                "done     [####################] 100%  11/11 blocks  head 40");
    }

    @Test
    void aTerminalRedrawsTheLineInPlaceAndKeepsEachStatesLastLine() {
        ProgressLine line = new ProgressLine(new PrintWriter(written), true, Duration.ofSeconds(5), now::get);

        line.show(backtest("starting", null));
        line.show(backtest("backfill", status(10L, 11L, null, 12.5, 1L, null)));
        line.show(backtest("backfill", status(11L, 11L, null, 12.0, 0L, null)));
        line.note("a note");
        line.show(backtest("done", status(11L, 11L, null, null, null, null)));
        line.endLine();

        String first = "backfill [##################--]  91%  10/11 blocks  12.5 blocks/s  ETA 1s  head 40";
        String second = "backfill [####################] 100%  11/11 blocks  12.0 blocks/s  every block read; waiting "
                + "until the chain is a reorg window past block 15  head 40";
        assertThat(written.toString()).isEqualTo("\rstarting\n"
                + "\r" + first
                + "\r" + second + "\n"
                + "a note\n"
                + "\rdone     [####################] 100%  11/11 blocks  head 40\n");
    }

    @Test
    void aShorterLineDrawnInPlaceErasesWhatTheLongerOneLeft() {
        ProgressLine line = new ProgressLine(new PrintWriter(written), true, Duration.ofSeconds(5), now::get);

        line.show(backtest("backfill", status(10L, 11L, null, 12.5, 1L, null)));
        line.show(backtest("backfill", status(10L, 11L, null, null, null, null)));

        String longer = "backfill [##################--]  91%  10/11 blocks  12.5 blocks/s  ETA 1s  head 40";
        String shorter = "backfill [##################--]  91%  10/11 blocks  head 40";
        assertThat(written.toString()).isEqualTo("\r" + longer + "\r" + shorter
                + " ".repeat(longer.length() - shorter.length()));
    }

    private static PipelineView.Status status(Long done, Long total, Double progress, Double rate, Long eta,
                                              String reason) {
        return new PipelineView.Status("backfill", done == null ? null : 4 + done, 40L, null, progress, done, total,
                rate, eta, reason, 0);
    }

    private static PipelineView backtest(String state, PipelineView.Status status) {
        return view(state, "backtest", status);
    }

    private static PipelineView view(String state, String type, PipelineView.Status status) {
        return new PipelineView("puuid", "pid", state, "ns.out", "ns", "layer1", type, "event_log", 5L,
                type.equals("backtest") ? 15L : null, List.of("alice"), "running", 0, 1, status, null);
    }
}
