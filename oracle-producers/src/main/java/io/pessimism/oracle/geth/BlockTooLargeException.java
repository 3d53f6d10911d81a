package io.pessimism.oracle.geth;

import io.pessimism.oracle.OracleFailure;

/**
 * A block whose encoded record Kafka would refuse (larger than the producer's
 * {@code max.request.size}, or the topic's {@code max.message.bytes}): retrying cannot help, so
 * the oracle stops naming the block and the limit to raise, instead of retrying it for good.
 */
public final class BlockTooLargeException extends OracleFailure {

    private static final long serialVersionUID = 1L;

    BlockTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
