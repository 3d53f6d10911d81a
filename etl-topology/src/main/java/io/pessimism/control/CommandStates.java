package io.pessimism.control;

import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;

/** The state of a pipeline as far as the control plane knows it; the runtime reports the rest. */
public final class CommandStates {

    private CommandStates() {
    }

    /** STARTING for a running pipeline until its branch reports, else what its desired state implies. */
    public static PipelineState of(PipelineSpec spec) {
        return switch (spec.getDesiredState()) {
            case RUNNING -> PipelineState.STARTING;
            case PAUSED -> PipelineState.PAUSED;
            case STOPPED, REMOVED -> PipelineState.STOPPED;
            case MERGED -> PipelineState.MERGED;
        };
    }
}
