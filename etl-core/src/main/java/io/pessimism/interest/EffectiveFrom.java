package io.pessimism.interest;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineType;

/**
 * When interests take effect (DESIGN.md §6), decided in one place for the control plane that
 * assigns the block and for every component that matches interests against blocks.
 */
public final class EffectiveFrom {

    private EffectiveFrom() {
    }

    /**
     * The first block of an interest accepted when the network's next block is {@code nextBlock}:
     * on a live pipeline that block (never before the pipeline's start); a backtest replays a fixed
     * range, so its start.
     */
    public static long of(PipelineSpec spec, long nextBlock) {
        long start = spec.getStartHeight() == null ? 0 : spec.getStartHeight();
        if (spec.getType() == PipelineType.BACKTEST) {
            return start;
        }
        return Math.max(start, nextBlock);
    }

    /** Whether {@code interest} applies to block {@code height}: it does from its first block on. */
    public static boolean at(AddressInterest interest, long height) {
        return interest.getEffectiveFrom() <= height;
    }
}
