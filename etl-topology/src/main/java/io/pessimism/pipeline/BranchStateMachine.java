package io.pessimism.pipeline;

import io.pessimism.avro.PipelineState;
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
import io.pessimism.pipeline.BranchTransition.Action;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A branch's observed state, as one small machine: {@linkplain #on events in}, transitions out.
 * It knows nothing of Kafka Streams; the branch performs the transition's actions. Not
 * thread-safe by design: one thread (the branch's lifecycle thread) owns it, so a status tick can
 * never overwrite a fresh ERROR and a retry never races with the failure count's reset.
 *
 * <pre>
 *   NEW ─Run→ STARTING ─StreamsRunning→ BACKFILL ─caught up→ LIVE
 *                 │                        │ └─backtest's range done→ DONE (a merged live one's fence → MERGED)
 *                 └──────StreamsFailed─────┴→ ERROR ─RetryDue / Run→ STARTING
 *   any running ─Pause→ PAUSED ─Run→ where it was;  any ─Stop→ STOPPED;  any ─Merge→ MERGED
 * </pre>
 *
 * A live pipeline asked to start below its source's head is BACKFILL until its height reaches
 * the head, then LIVE for good (a later lag is lag, not a backfill). A backtest is BACKFILL until
 * its range is done.
 */
final class BranchStateMachine {

    /** The branch's phase: a {@link PipelineState}, or NEW before anything was asked of it. */
    enum Phase {
        NEW, STARTING, BACKFILL, LIVE, PAUSED, STOPPED, ERROR, DONE, MERGED;

        /** The pipeline state published for this phase; empty for NEW. */
        Optional<PipelineState> state() {
            return this == NEW ? Optional.empty() : Optional.of(PipelineState.valueOf(name()));
        }

        boolean running() {
            return this == BACKFILL || this == LIVE;
        }
    }

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private Phase phase = Phase.NEW;
    private String reason;
    /** The running phase a paused branch returns to; STARTING when it had not run yet. */
    private Phase beforePause = Phase.STARTING;
    private boolean streamsUp;
    private boolean streamsRunning;
    private boolean backtest;
    private boolean fenced;
    private Long startHeight;
    private boolean wasLive;
    private boolean removed;
    private int failures;
    private Position reported = Position.unknown();

    /** Applies one event and says what to do; the machine has moved when it returns. */
    BranchTransition on(BranchEvent event) {
        Phase from = phase;
        BranchTransition transition = apply(event);
        if (!transition.refused()) {
            if (transition.has(Action.START)) {
                streamsUp = true;
                streamsRunning = false;
            }
            if (transition.has(Action.CLOSE) || transition.has(Action.CLEAN_UP)) {
                streamsUp = false;
                streamsRunning = false;
            }
        }
        assert transition.from() == from && transition.to() == phase : "transition " + transition + " vs " + phase;
        return transition;
    }

    // Java 17: no pattern matching for switch yet
    private BranchTransition apply(BranchEvent event) {
        if (event instanceof Run run) {
            return run(run);
        } else if (event instanceof Pause) {
            return pause();
        } else if (event instanceof Stop stop) {
            return stop(stop.remove());
        } else if (event instanceof Merge) {
            return merge();
        } else if (event instanceof Replace) {
            return replace();
        } else if (event instanceof StreamsRunning running) {
            return streamsRunning(running.position());
        } else if (event instanceof StreamsFailed failed) {
            return failed(failed.reason());
        } else if (event instanceof Progress progress) {
            return progress(progress.position());
        } else if (event instanceof RetryDue due) {
            return retryDue(due.attempt());
        }
        throw new IllegalArgumentException("unknown branch event " + event);
    }

    private BranchTransition run(Run run) {
        backtest = run.backtest();
        startHeight = run.startHeight();
        fenced = run.fenced();
        return switch (phase) {
            case NEW, STOPPED, ERROR -> {
                removed = false;
                yield move(Phase.STARTING, null, Action.START, Action.REPORT);
            }
            case PAUSED -> {
                if (!streamsUp) {
                    yield move(Phase.STARTING, null, Action.START, Action.REPORT);
                }
                Phase back = streamsRunning ? runningPhase(reported) : Phase.STARTING;
                yield move(back, null, Action.RESUME, Action.REPORT);
            }
            case STARTING, BACKFILL, LIVE -> refused("already " + phase);
            case DONE -> refused("the backtest is done; a new end restarts it");
            case MERGED -> refused("the pipeline was merged into another");
        };
    }

    private BranchTransition pause() {
        return switch (phase) {
            case STARTING, BACKFILL, LIVE -> {
                beforePause = phase;
                yield move(Phase.PAUSED, null, Action.PAUSE, Action.REPORT);
            }
            case NEW, ERROR -> move(Phase.PAUSED, null, Action.REPORT); // nothing runs: nothing to pause
            case PAUSED -> refused("already PAUSED");
            case STOPPED, DONE, MERGED -> refused("a " + phase + " branch runs nothing to pause");
        };
    }

    private BranchTransition stop(boolean remove) {
        if (phase == Phase.STOPPED && (removed || !remove)) {
            return refused(removed ? "already removed" : "already STOPPED");
        }
        removed = remove;
        failures = 0;
        return remove
                ? move(Phase.STOPPED, "removed", Action.CLEAN_UP, Action.DELETE_TOPICS, Action.REPORT)
                : move(Phase.STOPPED, null, Action.CLEAN_UP, Action.REPORT);
    }

    private BranchTransition merge() {
        if (phase == Phase.MERGED) {
            return refused("already MERGED");
        }
        if (phase == Phase.STOPPED) {
            return refused("a STOPPED branch has nothing left to merge");
        }
        return move(Phase.MERGED, null, Action.CLOSE, Action.REPORT);
    }

    private BranchTransition replace() {
        return switch (phase) {
            case STARTING, BACKFILL, LIVE, PAUSED, ERROR, DONE -> {
                // its instance is closed; the desired state that follows starts the new definition
                yield move(Phase.NEW, null, Action.CLOSE);
            }
            case NEW -> refused("nothing runs yet");
            case STOPPED, MERGED -> refused("a " + phase + " branch runs nothing to replace");
        };
    }

    private BranchTransition streamsRunning(Position position) {
        if (!streamsUp) {
            return refused("no instance is up (a closed one's late callback)");
        }
        streamsRunning = true;
        return switch (phase) {
            case STARTING -> {
                reported = position;
                yield move(runningPhase(position), null, Action.REPORT);
            }
            case PAUSED -> {
                beforePause = runningPhase(position); // resumes into it; still paused
                yield refused("PAUSED: resumes as " + beforePause);
            }
            default -> refused("already " + phase); // RUNNING again after a rebalance
        };
    }

    private BranchTransition failed(String why) {
        String message = Objects.requireNonNullElse(why, "Kafka Streams stopped in ERROR");
        return switch (phase) {
            case STARTING, BACKFILL, LIVE -> {
                int attempt = ++failures;
                yield move(Phase.ERROR, message, Action.CLOSE, Action.REPORT, Action.SCHEDULE_RETRY)
                        .withRetry(backoff(attempt), attempt);
            }
            // paused: no retry until it is resumed; Run then starts afresh
            case PAUSED -> move(Phase.ERROR, message, Action.CLOSE, Action.REPORT);
            case NEW, ERROR, STOPPED, DONE, MERGED -> refused("no instance of a " + phase + " branch is running");
        };
    }

    private BranchTransition progress(Position position) {
        if (!phase.running()) {
            return refused("a " + phase + " branch reports no progress");
        }
        boolean advanced = position.height().isPresent() && !position.height().equals(reported.height());
        if (advanced) {
            failures = 0; // progressing: the next failure starts the backoff afresh
        }
        if (position.rangeDone() && (backtest || fenced)) {
            reported = position;
            return move(backtest ? Phase.DONE : Phase.MERGED, null, Action.CLOSE, Action.REPORT);
        }
        Phase next = runningPhase(position);
        if (next != phase || advanced || !Objects.equals(position.head(), reported.head())) {
            reported = position;
            return move(next, null, Action.REPORT);
        }
        return refused("nothing new");
    }

    private BranchTransition retryDue(int attempt) {
        if (phase != Phase.ERROR) {
            return refused("a " + phase + " branch needs no retry");
        }
        if (attempt != failures) {
            return refused("retry " + attempt + " is stale (failure " + failures + " is the last)");
        }
        return move(Phase.STARTING, null, Action.START, Action.REPORT);
    }

    /** BACKFILL while a backtest runs or a live pipeline is below its source's head; LIVE from then on. */
    private Phase runningPhase(Position position) {
        if (backtest) {
            return Phase.BACKFILL;
        }
        if (wasLive || startHeight == null) {
            wasLive = true;
            return Phase.LIVE;
        }
        Long head = position.head();
        if (head == null) {
            return Phase.BACKFILL; // cannot tell yet: the next tick with the head decides
        }
        long next = position.height().isPresent() ? position.height().getAsLong() + 1 : startHeight;
        if (next > head) {
            wasLive = true;
            return Phase.LIVE;
        }
        return Phase.BACKFILL;
    }

    static Duration backoff(int attempt) {
        long millis = FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 16);
        return Duration.ofMillis(Math.min(MAX_BACKOFF.toMillis(), millis));
    }

    private BranchTransition move(Phase to, String why, Action... actions) {
        Phase from = phase;
        phase = to;
        reason = why;
        return BranchTransition.to(from, to, actions);
    }

    private BranchTransition refused(String why) {
        return BranchTransition.refused(phase, why);
    }

    Phase phase() {
        return phase;
    }

    /** Why the branch is in ERROR, or that a STOPPED one was removed; null otherwise. */
    String reason() {
        return reason;
    }

    /** The position last reported (what the status says). */
    Position reported() {
        return reported;
    }

    int failures() {
        return failures;
    }
}
