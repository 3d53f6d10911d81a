package io.pessimism.control;

import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineType;

/** When interests take effect (DESIGN.md §6), decided in one place for the applier and the API. */
public final class Interests {

    private Interests() {
    }

    /**
     * The first block of an interest accepted when the network's next block is {@code nextBlock}:
     * on a live pipeline that block (never before the pipeline's start); a backtest replays a fixed
     * range, so its start.
     */
    public static long effectiveFrom(PipelineSpec spec, long nextBlock) {
        long start = spec.getStartHeight() == null ? 0 : spec.getStartHeight();
        if (spec.getType() == PipelineType.BACKTEST) {
            return start;
        }
        return Math.max(start, nextBlock);
    }
}
