package io.pessimism.control;

import io.pessimism.avro.CommandType;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineType;
import io.pessimism.config.PipelineLimits;

/**
 * The desired-state machine of one pipeline: RUNNING ⇄ PAUSED, RUNNING|PAUSED → STOPPED →
 * (resume) RUNNING, and a backtest's end moved by UPDATE. Resuming a running pipeline re-emits
 * its spec, which makes the runtime retry a branch in ERROR.
 */
final class Lifecycle {

    private final PipelineLimits limits;

    Lifecycle(PipelineLimits limits) {
        this.limits = limits;
    }

    /** Whether a pipeline counts against {@code pipelines.max-active}. */
    static boolean active(PipelineSpec spec) {
        return spec.getDesiredState() == DesiredState.RUNNING || spec.getDesiredState() == DesiredState.PAUSED;
    }

    PipelineSpec transition(PipelineSpec spec, CommandType type, ControlStore store) {
        DesiredState from = spec.getDesiredState();
        DesiredState to = switch (type) {
            case PAUSE -> {
                if (store.finished(spec.getPuuid())) {
                    throw CommandRefused.conflict("backtest " + spec.getPuuid() + " is done; nothing runs to pause");
                }
                if (from == DesiredState.STOPPED) {
                    throw CommandRefused.conflict("pipeline " + spec.getPuuid() + " is stopped; resume it first");
                }
                yield DesiredState.PAUSED;
            }
            case RESUME -> {
                if (store.finished(spec.getPuuid()) && from != DesiredState.STOPPED) {
                    throw CommandRefused.conflict("backtest " + spec.getPuuid() + " is done; create a backtest of "
                            + "another range to compute more, or stop it to run it again from its start");
                }
                if (from == DesiredState.STOPPED && store.count(Lifecycle::active) >= limits.maxActive()) {
                    throw CommandRefused.limit("pipelines.max-active", limits.maxActive(),
                            "cannot resume stopped pipeline " + spec.getPuuid());
                }
                yield DesiredState.RUNNING;
            }
            case STOP -> DesiredState.STOPPED;
            default -> throw new IllegalArgumentException("not a lifecycle command: " + type);
        };
        if (to == from && type != CommandType.RESUME) {
            return spec;
        }
        return PipelineSpec.newBuilder(spec).setDesiredState(to).setRevision(spec.getRevision() + 1).build();
    }

    PipelineSpec update(PipelineSpec spec, PipelineCommand command, ControlStore store) {
        if (spec.getType() != PipelineType.BACKTEST) {
            throw CommandRefused.conflict("pipeline " + spec.getPuuid() + " is live; only a backtest's end can be updated");
        }
        if (store.finished(spec.getPuuid())) {
            // its end marker is on .out and the blocks past its end were read to see it final
            throw CommandRefused.conflict("backtest " + spec.getPuuid() + " is done; create a backtest of another "
                    + "range to compute more");
        }
        Long end = command.getEndHeight();
        if (end == null) {
            throw CommandRefused.invalid("endHeight", "an UPDATE names the backtest's new endHeight");
        }
        if (spec.getStartHeight() != null && end < spec.getStartHeight()) {
            throw CommandRefused.invalid("endHeight", "endHeight " + end + " is before startHeight " + spec.getStartHeight());
        }
        if (end.equals(spec.getEndHeight())) {
            return spec;
        }
        if (spec.getEndHeight() != null && end < spec.getEndHeight()) {
            // its records up to the old end may be out already: a shorter range is another backtest
            throw CommandRefused.conflict("backtest " + spec.getPuuid() + " ends at " + spec.getEndHeight()
                    + "; its end can only move later (records up to it may be out already): create a backtest of "
                    + "[" + spec.getStartHeight() + ", " + end + "] instead");
        }
        return PipelineSpec.newBuilder(spec).setEndHeight(end).setRevision(spec.getRevision() + 1).build();
    }
}
