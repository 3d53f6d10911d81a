package io.pessimism.oracle;

/** Where an oracle instance is in its life. */
public enum OracleState {
    /** Creating its topic, fencing older instances, reading its position back. */
    STARTING,
    /** Behind the node: fetching in batches. */
    CATCHING_UP,
    /** At the node's head (minus confirmations), polling for the next block. */
    LIVE,
    /** The node or Kafka failed; waiting before trying the same heights again. */
    BACKING_OFF,
    /**
     * The node has failed every call for longer than the node-error budget ({@link NodeErrorBudget}):
     * still retrying, and back to CATCHING_UP or LIVE once a step goes through; meanwhile the
     * pipelines it feeds show ERROR naming the node.
     */
    NODE_FAILING,
    /** A bounded routine wrote its last height. */
    DONE,
    /** Stopped for good: fenced by another instance, a reorg deeper than the window, or a bad setting. */
    FAILED,
    /** Stopped on request. */
    STOPPED
}
