package io.pessimism.api;

/**
 * The body of {@code PATCH /v1/pipelines/{puuid}}: what can change in a running pipeline's spec.
 * Today that is a backtest's end, moved later to compute more of the chain (an end moved earlier
 * could cut a range whose records are already out, so it is refused).
 */
public record UpdatePipelineRequest(Long endHeight) {
}
