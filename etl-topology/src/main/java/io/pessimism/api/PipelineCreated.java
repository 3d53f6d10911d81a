package io.pessimism.api;

/**
 * The answer to {@code POST /v1/pipelines}: 201 with {@code reused=false} for a new pipeline, 200
 * with {@code reused=true} when an identical live pipeline was joined.
 *
 * @param topic the pipeline's {@code <prefix>.out}, the records to read
 * @param state the pipeline's state in lower case ({@code starting}, {@code live}, …)
 */
public record PipelineCreated(String puuid, String pid, String topic, String state, boolean reused) {
}
