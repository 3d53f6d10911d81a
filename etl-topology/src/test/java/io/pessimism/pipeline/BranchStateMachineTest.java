package io.pessimism.pipeline;

import static io.pessimism.pipeline.BranchTransition.Action.CLEAN_UP;
import static io.pessimism.pipeline.BranchTransition.Action.CLOSE;
import static io.pessimism.pipeline.BranchTransition.Action.DELETE_TOPICS;
import static io.pessimism.pipeline.BranchTransition.Action.PAUSE;
import static io.pessimism.pipeline.BranchTransition.Action.REPORT;
import static io.pessimism.pipeline.BranchTransition.Action.RESUME;
import static io.pessimism.pipeline.BranchTransition.Action.SCHEDULE_RETRY;
import static io.pessimism.pipeline.BranchTransition.Action.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.pipeline.BranchEvent.Merge;
import io.pessimism.pipeline.BranchEvent.Pause;
import io.pessimism.pipeline.BranchEvent.Position;
import io.pessimism.pipeline.BranchEvent.Progress;
import io.pessimism.pipeline.BranchEvent.Replace;
import io.pessimism.pipeline.BranchEvent.RetryDue;
import io.pessimism.pipeline.BranchEvent.Run;
import io.pessimism.pipeline.BranchEvent.Stop;
import io.pessimism.pipeline.BranchEvent.StreamsFailed;
import io.pessimism.pipeline.BranchEvent.StreamsRunning;
import io.pessimism.pipeline.BranchStateMachine.Phase;
import io.pessimism.pipeline.BranchTransition.Action;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event in every phase of a branch: where it goes and what the branch must do, or why it is refused. */
class BranchStateMachineTest {

    private static final Run LIVE_RUN = new Run(false, null, false);
    private static final Run BACKFILL_RUN = new Run(false, 10L, false);
    private static final Run BACKTEST_RUN = new Run(true, 10L, false);

    private static Position at(long height, long head) {
        return new Position(OptionalLong.of(height), head, false);
    }

    private static final Position BEHIND = at(20, 100);
    private static final Position FRESH = new Position(OptionalLong.empty(), 100L, false);

    /** A machine brought to a phase the way a branch gets there. */
    private static final Map<Phase, Supplier<BranchStateMachine>> IN = new EnumMap<>(Phase.class);

    static {
        IN.put(Phase.NEW, BranchStateMachine::new);
        IN.put(Phase.STARTING, () -> drive(LIVE_RUN));
        IN.put(Phase.BACKFILL, () -> drive(BACKFILL_RUN, new StreamsRunning(FRESH)));
        IN.put(Phase.LIVE, () -> drive(LIVE_RUN, new StreamsRunning(FRESH)));
        IN.put(Phase.PAUSED, () -> drive(LIVE_RUN, new StreamsRunning(FRESH), new Pause()));
        IN.put(Phase.STOPPED, () -> drive(LIVE_RUN, new Stop(false)));
        IN.put(Phase.ERROR, () -> drive(LIVE_RUN, new StreamsFailed("boom")));
        IN.put(Phase.DONE, () -> drive(BACKTEST_RUN, new StreamsRunning(FRESH),
                new Progress(new Position(OptionalLong.of(30), 100L, true))));
        IN.put(Phase.MERGED, () -> drive(LIVE_RUN, new StreamsRunning(FRESH), new Merge()));
    }

    private static BranchStateMachine drive(BranchEvent... events) {
        BranchStateMachine machine = new BranchStateMachine();
        for (BranchEvent event : events) {
            assertThat(machine.on(event).refused()).as("setting up with %s", event).isFalse();
        }
        return machine;
    }

    private record Case(Phase from, BranchEvent event, Phase to, List<Action> actions) {
        static Case refused(Phase in, BranchEvent event) {
            return new Case(in, event, null, List.of());
        }
    }

    /** The whole table: every phase × every kind of event. A null target means refused. */
    static Stream<Arguments> table() {
        List<Case> cases = new ArrayList<>();
        Position moved = at(25, 100);
        for (Phase phase : Phase.values()) {
            cases.add(runCase(phase));
            cases.add(pauseCase(phase));
            cases.add(stopCase(phase, false));
            cases.add(stopCase(phase, true));
            cases.add(switch (phase) {
                case STOPPED, MERGED -> Case.refused(phase, new Merge());
                default -> new Case(phase, new Merge(), Phase.MERGED, List.of(CLOSE, REPORT));
            });
            cases.add(switch (phase) {
                case NEW, STOPPED, MERGED -> Case.refused(phase, new Replace());
                default -> new Case(phase, new Replace(), Phase.NEW, List.of(CLOSE));
            });
            cases.add(switch (phase) {
                case STARTING -> new Case(phase, new StreamsRunning(FRESH), Phase.LIVE, List.of(REPORT));
                default -> Case.refused(phase, new StreamsRunning(FRESH));
            });
            cases.add(switch (phase) {
                case STARTING, BACKFILL, LIVE ->
                        new Case(phase, new StreamsFailed("boom"), Phase.ERROR, List.of(CLOSE, REPORT, SCHEDULE_RETRY));
                case PAUSED -> new Case(phase, new StreamsFailed("boom"), Phase.ERROR, List.of(CLOSE, REPORT));
                default -> Case.refused(phase, new StreamsFailed("boom"));
            });
            cases.add(switch (phase) {
                case BACKFILL, LIVE -> new Case(phase, new Progress(moved), phase, List.of(REPORT));
                default -> Case.refused(phase, new Progress(moved));
            });
            cases.add(switch (phase) {
                case ERROR -> new Case(phase, new RetryDue(1), Phase.STARTING, List.of(START, REPORT));
                default -> Case.refused(phase, new RetryDue(1));
            });
        }
        return cases.stream().map(c -> Arguments.of(c.from(), c.event(), c.to(), c.actions()));
    }

    private static Case runCase(Phase phase) {
        return switch (phase) {
            case NEW, STOPPED, ERROR -> new Case(phase, LIVE_RUN, Phase.STARTING, List.of(START, REPORT));
            case PAUSED -> new Case(phase, LIVE_RUN, Phase.LIVE, List.of(RESUME, REPORT));
            default -> Case.refused(phase, LIVE_RUN);
        };
    }

    private static Case pauseCase(Phase phase) {
        return switch (phase) {
            case STARTING, BACKFILL, LIVE -> new Case(phase, new Pause(), Phase.PAUSED, List.of(PAUSE, REPORT));
            case NEW, ERROR -> new Case(phase, new Pause(), Phase.PAUSED, List.of(REPORT));
            default -> Case.refused(phase, new Pause());
        };
    }

    private static Case stopCase(Phase phase, boolean remove) {
        if (phase == Phase.STOPPED && !remove) {
            return Case.refused(phase, new Stop(false));
        }
        return remove
                ? new Case(phase, new Stop(true), Phase.STOPPED, List.of(CLEAN_UP, DELETE_TOPICS, REPORT))
                : new Case(phase, new Stop(false), Phase.STOPPED, List.of(CLEAN_UP, REPORT));
    }

    @ParameterizedTest(name = "{0} --{1}--> {2} {3}")
    @MethodSource("table")
    void everyEventInEveryPhase(Phase from, BranchEvent event, Phase to, List<Action> actions) {
        BranchStateMachine machine = IN.get(from).get();
        assertThat(machine.phase()).isEqualTo(from);

        BranchTransition transition = machine.on(event);

        if (to == null) {
            assertThat(transition.refused()).as("%s in %s is refused", event, from).isTrue();
            assertThat(transition.why()).isNotBlank();
            assertThat(transition.actions()).isEmpty();
            assertThat(machine.phase()).as("a refused event changes nothing").isEqualTo(from);
        } else {
            assertThat(transition.refused()).as("%s in %s applies", event, from).isFalse();
            assertThat(transition.from()).isEqualTo(from);
            assertThat(transition.to()).isEqualTo(to);
            assertThat(machine.phase()).isEqualTo(to);
            assertThat(transition.actions()).containsExactlyElementsOf(actions);
        }
    }

    @Test
    void aTickAfterAFailureLeavesTheBranchInErrorAndItsRetryStillRuns() {
        BranchStateMachine machine = IN.get(Phase.LIVE).get();
        BranchTransition failed = machine.on(new StreamsFailed("poison record at offset 7"));
        assertThat(machine.reason()).isEqualTo("poison record at offset 7");

        assertThat(machine.on(new Progress(at(50, 100))).refused()).isTrue();
        assertThat(machine.phase()).isEqualTo(Phase.ERROR);

        BranchTransition retry = machine.on(new RetryDue(failed.attempt()));
        assertThat(retry.to()).isEqualTo(Phase.STARTING);
        assertThat(retry.actions()).containsExactly(START, REPORT);
        assertThat(machine.reason()).isNull();
    }

    @Test
    void theBackoffDoublesUpToItsCapAndProgressResetsIt() {
        BranchStateMachine machine = IN.get(Phase.STARTING).get();
        List<Duration> delays = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            BranchTransition failed = machine.on(new StreamsFailed("down"));
            assertThat(failed.attempt()).isEqualTo(i);
            delays.add(failed.retryAfter());
            machine.on(new RetryDue(i));
        }
        assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);

        machine.on(new StreamsRunning(at(5, 5)));
        machine.on(new Progress(at(6, 6)));
        assertThat(machine.failures()).as("a branch that progresses starts its backoff afresh").isZero();
        assertThat(machine.on(new StreamsFailed("down again")).retryAfter()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aStaleRetryIsRefusedAndAResumeRetriesAtOnce() {
        BranchStateMachine machine = IN.get(Phase.STARTING).get();
        machine.on(new StreamsFailed("first"));
        machine.on(new RetryDue(1));
        machine.on(new StreamsFailed("second"));

        assertThat(machine.on(new RetryDue(1)).why()).contains("stale");
        assertThat(machine.phase()).isEqualTo(Phase.ERROR);

        BranchTransition resume = machine.on(LIVE_RUN);
        assertThat(resume.to()).isEqualTo(Phase.STARTING);
        assertThat(resume.actions()).containsExactly(START, REPORT);
        assertThat(machine.on(new RetryDue(2)).refused()).as("the forced retry made the scheduled one moot").isTrue();
    }

    @Test
    void aLivePipelineStartedBelowTheHeadBackfillsUntilItReachesTheHeadThenStaysLive() {
        BranchStateMachine machine = drive(BACKFILL_RUN);
        assertThat(machine.on(new StreamsRunning(FRESH)).to()).isEqualTo(Phase.BACKFILL);
        assertThat(machine.on(new Progress(at(60, 100))).to()).isEqualTo(Phase.BACKFILL);
        assertThat(machine.on(new Progress(at(99, 101))).to()).isEqualTo(Phase.BACKFILL);
        assertThat(machine.on(new Progress(at(101, 101))).to()).isEqualTo(Phase.LIVE);
        assertThat(machine.on(new Progress(at(102, 140))).to())
                .as("lag after reaching the head is lag, not a backfill").isEqualTo(Phase.LIVE);
    }

    @Test
    void aLivePipelineIsLiveAtOnceWhenItStartsAtOrAboveTheHeadOrWithoutAStartHeight() {
        assertThat(drive(new Run(false, 101L, false)).on(new StreamsRunning(FRESH)).to()).isEqualTo(Phase.LIVE);
        assertThat(drive(new Run(false, 100L, false)).on(new StreamsRunning(FRESH)).to()).isEqualTo(Phase.BACKFILL);
        assertThat(drive(LIVE_RUN).on(new StreamsRunning(FRESH)).to()).isEqualTo(Phase.LIVE);
        assertThat(drive(new Run(false, 5L, false)).on(new StreamsRunning(Position.unknown())).to())
                .as("the head is not known yet: not claimed live").isEqualTo(Phase.BACKFILL);
    }

    @Test
    void aBacktestIsBackfillUntilItsRangeIsDoneThenDoneAndClosed() {
        BranchStateMachine machine = drive(BACKTEST_RUN);
        assertThat(machine.on(new StreamsRunning(FRESH)).to()).isEqualTo(Phase.BACKFILL);
        assertThat(machine.on(new Progress(at(150, 100))).to())
                .as("past the head is not the end of a backtest").isEqualTo(Phase.BACKFILL);
        BranchTransition done = machine.on(new Progress(new Position(OptionalLong.of(160), 200L, true)));
        assertThat(done.to()).isEqualTo(Phase.DONE);
        assertThat(done.actions()).containsExactly(CLOSE, REPORT);
    }

    @Test
    void aLivePipelineBeingMergedIsMergedOnceItsFenceIsPassedAndClosed() {
        BranchStateMachine machine = drive(new Run(false, 10L, true), new StreamsRunning(at(90, 100)));
        assertThat(machine.on(new Progress(at(100, 100))).to()).isEqualTo(Phase.LIVE);
        BranchTransition merged = machine.on(new Progress(new Position(OptionalLong.of(120), 125L, true)));
        assertThat(merged.to()).isEqualTo(Phase.MERGED);
        assertThat(merged.actions()).containsExactly(CLOSE, REPORT);
        assertThat(machine.on(new Merge()).why()).isEqualTo("already MERGED");

        BranchStateMachine unfenced = drive(LIVE_RUN, new StreamsRunning(FRESH));
        assertThat(unfenced.on(new Progress(new Position(OptionalLong.of(120), 125L, true))).to())
                .as("a live pipeline without a fence has no range to finish").isEqualTo(Phase.LIVE);
    }

    @Test
    void aPausedBranchResumesIntoThePhaseItWasIn() {
        BranchStateMachine backfilling = IN.get(Phase.BACKFILL).get();
        backfilling.on(new Pause());
        assertThat(backfilling.on(new Progress(at(30, 100))).refused()).as("no output while paused").isTrue();
        assertThat(backfilling.on(BACKFILL_RUN).to()).isEqualTo(Phase.BACKFILL);

        BranchStateMachine starting = IN.get(Phase.STARTING).get();
        starting.on(new Pause());
        assertThat(starting.on(new StreamsRunning(FRESH)).refused()).as("still paused once running").isTrue();
        BranchTransition resumed = starting.on(LIVE_RUN);
        assertThat(resumed.to()).isEqualTo(Phase.LIVE);
        assertThat(resumed.actions()).containsExactly(RESUME, REPORT);

        BranchStateMachine pausedFirst = drive(new Pause());
        BranchTransition started = pausedFirst.on(LIVE_RUN);
        assertThat(started.to()).isEqualTo(Phase.STARTING);
        assertThat(started.actions()).as("nothing ran while paused: it starts").containsExactly(START, REPORT);
    }

    @Test
    void aLateCallbackOfAClosedInstanceIsRefused() {
        BranchStateMachine machine = IN.get(Phase.PAUSED).get();
        machine.on(new Stop(false));
        machine.on(LIVE_RUN);
        machine.on(new Merge());
        assertThat(machine.on(new StreamsRunning(FRESH)).why()).contains("no instance is up");
    }

    @Test
    void aStoppedBranchCanStillBeRemovedAndARemovedOneRestartsFromItsSpec() {
        BranchStateMachine machine = IN.get(Phase.STOPPED).get();
        assertThat(machine.on(new Stop(true)).actions()).containsExactly(CLEAN_UP, DELETE_TOPICS, REPORT);
        assertThat(machine.reason()).isEqualTo("removed");
        assertThat(machine.on(new Stop(true)).why()).isEqualTo("already removed");
        assertThat(machine.on(LIVE_RUN).actions()).containsExactly(START, REPORT);
    }
}
