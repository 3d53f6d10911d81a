package io.pessimism.config;

/**
 * Limits on pipelines; a request over a limit is refused (429) unless it reuses a pipeline.
 *
 * @param mergeBackfills whether a caught-up backfill is merged into the shared live pipeline of its PID
 */
public record PipelineLimits(int maxActive, int maxConcurrentBackfills, boolean mergeBackfills) {

    /** Limits with merges on (the declared default). */
    public PipelineLimits(int maxActive, int maxConcurrentBackfills) {
        this(maxActive, maxConcurrentBackfills, true);
    }
}
