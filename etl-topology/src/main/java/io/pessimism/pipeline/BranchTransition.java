package io.pessimism.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * What a {@link BranchEvent} did to a {@link BranchStateMachine}: the phase before and after, and the
 * actions the branch must now take, in order. An event that does not apply in the phase is
 * {@linkplain #refused() refused}: nothing changes and {@link #why} says why.
 *
 * @param retryAfter with {@link Action#SCHEDULE_RETRY}: the backoff before {@link BranchEvent.RetryDue}
 * @param attempt    with {@link Action#SCHEDULE_RETRY}: the failure number the retry answers
 */
record BranchTransition(BranchStateMachine.Phase from, BranchStateMachine.Phase to, List<Action> actions,
                        Duration retryAfter, int attempt, String why) {

    /** What the branch does with its Kafka Streams instance, its state and its status. */
    enum Action {
        /** Create and start a Kafka Streams instance (a failed one is replaced). */
        START,
        /** {@code KafkaStreams.pause()}. */
        PAUSE,
        /** {@code KafkaStreams.resume()}. */
        RESUME,
        /** Close the instance, keeping its group offsets and local state. */
        CLOSE,
        /** Close the instance and delete its local state and consumer group. */
        CLEAN_UP,
        /** Delete the branch's topics (after {@link #CLEAN_UP}). */
        DELETE_TOPICS,
        /** Hand {@link BranchEvent.RetryDue} back after {@link #retryAfter}. */
        SCHEDULE_RETRY,
        /** Publish the pipeline's status. */
        REPORT
    }

    static BranchTransition to(BranchStateMachine.Phase from, BranchStateMachine.Phase to, Action... actions) {
        return new BranchTransition(from, to, List.of(actions), null, 0, null);
    }

    static BranchTransition refused(BranchStateMachine.Phase phase, String why) {
        return new BranchTransition(phase, phase, List.of(), null, 0, why);
    }

    BranchTransition withRetry(Duration after, int attempt) {
        return new BranchTransition(from, to, actions, after, attempt, why);
    }

    boolean refused() {
        return why != null;
    }

    boolean has(Action action) {
        return actions.contains(action);
    }
}
