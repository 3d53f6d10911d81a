package io.pessimism.pipeline;

import java.util.OptionalLong;

/**
 * What can happen to a branch: the control plane's desired state, its Kafka Streams instance's
 * callbacks, the status tick and its own retry timer. Each is handed to the branch's
 * {@link BranchStateMachine} on the branch's lifecycle thread, in arrival order.
 */
sealed interface BranchEvent {

    /**
     * The desired state is RUNNING: start, resume a paused branch, or retry one in ERROR at once.
     *
     * @param fenced a live pipeline being merged: it ends (MERGED) once its fence is passed
     */
    record Run(boolean backtest, Long startHeight, boolean fenced) implements BranchEvent {
    }

    /** The desired state is PAUSED: no output, position kept. */
    record Pause() implements BranchEvent {
    }

    /** The desired state is STOPPED ({@code remove}: REMOVED, its topics go too). */
    record Stop(boolean remove) implements BranchEvent {
    }

    /** The desired state is MERGED: the branch has handed its owners to another and ends. */
    record Merge() implements BranchEvent {
    }

    /** The branch now computes another definition: its running instance is closed, its position kept. */
    record Replace() implements BranchEvent {
    }

    /** The Kafka Streams instance started last reached RUNNING. */
    record StreamsRunning(Position position) implements BranchEvent {
    }

    /** The Kafka Streams instance started last failed (or could not be started), for this reason. */
    record StreamsFailed(String reason) implements BranchEvent {
    }

    /** The status tick: where the branch and its source are now. */
    record Progress(Position position) implements BranchEvent {
    }

    /** The retry scheduled after failure number {@code attempt} is due. */
    record RetryDue(int attempt) implements BranchEvent {
    }

    /**
     * Where a branch stands.
     *
     * @param height    the last block of its trigger source it has processed, empty before the first
     * @param head      its trigger source's head, null while unknown
     * @param rangeDone a backtest has emitted its whole range and its end marker
     */
    record Position(OptionalLong height, Long head, boolean rangeDone) {

        static Position unknown() {
            return new Position(OptionalLong.empty(), null, false);
        }
    }
}
