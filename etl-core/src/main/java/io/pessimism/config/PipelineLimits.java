package io.pessimism.config;

/** Limits on pipelines; a request over a limit is refused (429) unless it reuses a pipeline. */
public record PipelineLimits(int maxActive, int maxConcurrentBackfills) {
}
