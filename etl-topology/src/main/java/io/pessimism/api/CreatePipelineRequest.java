package io.pessimism.api;

import java.util.List;

/**
 * The body of {@code POST /v1/pipelines}, as sent; {@link RequestValidator} checks every field
 * before anything is stored.
 *
 * @param network     {@code layer1} | {@code layer2}
 * @param type        {@code live} | {@code backtest}
 * @param register    the register to compute, e.g. {@code event_log}
 * @param startHeight first block: a backtest's start, or a live pipeline's backfill start
 * @param endHeight   last block, inclusive; a backtest's end
 * @param owner       who asks: a heuristic session id
 * @param interests   initial interests of an addressable register, effective from the first block
 */
public record CreatePipelineRequest(String network, String type, String register, Long startHeight,
        Long endHeight, String owner, List<Interest> interests) {

    public CreatePipelineRequest {
        interests = interests == null ? List.of() : interests;
    }

    /**
     * An address and the event signatures to match there; none for a register that watches
     * addresses only ({@code account_balance}).
     */
    public record Interest(String address, List<String> signatures) {

        public Interest {
            signatures = signatures == null ? List.of() : signatures;
        }
    }
}
