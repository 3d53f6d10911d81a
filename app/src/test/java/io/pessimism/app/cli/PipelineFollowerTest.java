package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.api.PipelineView;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PipelineFollowerTest {

    private static final Duration QUICK = Duration.ofMillis(1);

    private final StringWriter written = new StringWriter();
    private final ProgressLine line = new ProgressLine(new PrintWriter(written), false, Duration.ZERO, () -> 0);

    @Test
    void followsThroughAnErrorUntilDone() {
        PipelineFollower.Outcome outcome = follower(view("starting"), view("backfill"), view("error"), view("backfill"),
                view("done"), view("live")).follow("p", Optional.of(Duration.ofSeconds(10)));

        assertThat(outcome).isInstanceOf(PipelineFollower.Outcome.Finished.class);
        assertThat(outcome.last().state()).isEqualTo("done");
        assertThat(written.toString().lines()).extracting(l -> l.split(" ")[0])
                .containsExactly("starting", "backfill", "error", "backfill", "done");
    }

    @Test
    void stoppedAndMergedAreFinalToo() {
        assertThat(follower(view("live"), view("stopped")).follow("p", Optional.empty()).last().state())
                .isEqualTo("stopped");
        assertThat(follower(view("backfill"), view("merged")).follow("p", Optional.empty()).last().state())
                .isEqualTo("merged");
    }

    @Test
    void aPipelineNoLongerThereIsGoneWithTheLastStateSeen() {
        Deque<Optional<PipelineView>> answers = new ArrayDeque<>(List.of(Optional.of(view("backfill")), Optional.empty()));
        PipelineFollower.Outcome outcome = new PipelineFollower(puuid -> answers.pop(), line, QUICK)
                .follow("p", Optional.empty());

        assertThat(outcome).isInstanceOf(PipelineFollower.Outcome.Gone.class);
        assertThat(outcome.last().state()).isEqualTo("backfill");
    }

    @Test
    void anErrorThatLastsTimesOut() {
        PipelineFollower.Outcome outcome = new PipelineFollower(puuid -> Optional.of(view("error")), line, QUICK)
                .follow("p", Optional.of(Duration.ofMillis(50)));

        assertThat(outcome).isInstanceOf(PipelineFollower.Outcome.TimedOut.class);
        assertThat(outcome.last().state()).isEqualTo("error");
        assertThat(written.toString().lines()).as("the error once").hasSize(1);
    }

    @Test
    void anInterruptEndsTheFollowing() {
        Thread.currentThread().interrupt();
        try {
            PipelineFollower.Outcome outcome = new PipelineFollower(puuid -> Optional.of(view("live")), line,
                    Duration.ofSeconds(5)).follow("p", Optional.empty());

            assertThat(outcome).isInstanceOf(PipelineFollower.Outcome.Interrupted.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aPollingIntervalMustBePositive() {
        assertThatThrownBy(() -> new PipelineFollower(puuid -> Optional.empty(), line, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }

    private PipelineFollower follower(PipelineView... views) {
        Deque<PipelineView> answers = new ArrayDeque<>(List.of(views));
        return new PipelineFollower(puuid -> Optional.of(answers.pop()), line, QUICK);
    }

    private static PipelineView view(String state) {
        return new PipelineView("p", "pid", state, "ns.out", "ns", "layer1", "backtest", "event_log", 5L, 15L,
                List.of("alice"), "running", 0, 1, null, null);
    }
}
