package io.pessimism.oracle.geth;

import io.pessimism.oracle.OracleFailure;

/**
 * The node's chain no longer contains any block of the oracle's reorg window: the oracle cannot say
 * which of its emitted blocks are orphaned, so it stops rather than diverge silently.
 */
public final class ReorgTooDeepException extends OracleFailure {

    private static final long serialVersionUID = 1L;

    ReorgTooDeepException(String message) {
        super(message);
    }
}
