package io.pessimism.oracle;

/**
 * A failure no retry can mend (a reorg deeper than the window, a record too large for Kafka, a
 * record the oracle cannot make): the {@link OracleRunner} stops the oracle ({@link OracleState#FAILED},
 * this message as its last error) instead of backing off. Each oracle's own reasons extend it, so
 * the runner names none of them.
 */
public class OracleFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OracleFailure(String message) {
        super(message);
    }

    public OracleFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
