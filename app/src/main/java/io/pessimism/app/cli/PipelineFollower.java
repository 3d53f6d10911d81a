package io.pessimism.app.cli;

import io.pessimism.api.PipelineView;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Follows one pipeline's status through the REST API, showing each answer on a {@link ProgressLine},
 * until the pipeline reaches a final state ({@code done}, {@code stopped}, {@code merged}), is no
 * longer there, the deadline passes or the thread is interrupted. Shared by {@code pessimism
 * backtest} and {@code pessimism pipelines watch}.
 *
 * <p>{@code error} is not final: a branch in ERROR retries by itself, so its reason is shown and
 * the following goes on. An API that cannot be reached or answers 5xx is said once per distinct
 * problem and asked again at the next poll; any other refusal (a 4xx but 404) is thrown.
 */
final class PipelineFollower {

    /** The states a pipeline leaves only by a new request (a resume, a new end). */
    static final Set<String> FINAL_STATES = Set.of("done", "stopped", "merged");

    /** How the API is asked: the pipeline, or empty when it has none with this PUUID (any more). */
    @FunctionalInterface
    interface Views {
        Optional<PipelineView> show(String puuid);

        /** The REST API through the Java client: a 404 is empty, any other refusal throws. */
        static Views of(PessimismClient client) {
            return puuid -> {
                try {
                    return Optional.of(client.showPipeline(puuid));
                } catch (PessimismApiException e) {
                    if (e.status() == 404) {
                        return Optional.empty();
                    }
                    throw e;
                }
            };
        }
    }

    /** How the following ended; {@code last} is the last view seen, null when none was. */
    sealed interface Outcome {
        PipelineView last();

        /** The pipeline reached a final state: {@code last.state()} says which. */
        record Finished(PipelineView last) implements Outcome {
        }

        /** The API has no pipeline with this PUUID (any more): it was removed, or never existed. */
        record Gone(PipelineView last) implements Outcome {
        }

        /** The deadline passed first. */
        record TimedOut(PipelineView last) implements Outcome {
        }

        /** The following thread was interrupted. */
        record Interrupted(PipelineView last) implements Outcome {
        }
    }

    private final Views views;
    private final ProgressLine line;
    private final Duration interval;

    /**
     * @param interval how long to wait between two polls
     */
    PipelineFollower(Views views, ProgressLine line, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the polling interval must be positive, was " + interval);
        }
        this.views = views;
        this.line = line;
        this.interval = interval;
    }

    /**
     * Follows {@code puuid} until one of the outcomes; {@code timeout} empty follows without a deadline.
     * The line drawn in place is ended before this returns.
     */
    Outcome follow(String puuid, Optional<Duration> timeout) {
        long deadline = timeout.map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        PipelineView last = null;
        String trouble = null;
        try {
            while (true) {
                Optional<PipelineView> view;
                try {
                    view = views.show(puuid);
                    trouble = null;
                } catch (PessimismApiException e) {
                    if (e.status() != 0 && e.status() < 500) {
                        throw e;
                    }
                    if (!e.getMessage().equals(trouble)) {
                        line.note("cannot read the status of " + puuid + " now (asking again): " + e.getMessage());
                        trouble = e.getMessage();
                    }
                    view = null;
                }
                if (view != null) {
                    if (view.isEmpty()) {
                        return new Outcome.Gone(last);
                    }
                    last = view.get();
                    line.show(last);
                    if (FINAL_STATES.contains(last.state())) {
                        return new Outcome.Finished(last);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return new Outcome.TimedOut(last);
                }
                Thread.sleep(Math.min(interval.toMillis(), Math.max(1, left / 1_000_000))); // the polling period
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Interrupted(last);
        } finally {
            line.endLine();
        }
    }
}
