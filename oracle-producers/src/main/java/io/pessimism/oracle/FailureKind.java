package io.pessimism.oracle;

import io.pessimism.oracle.rpc.NodeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * How the {@link OracleRunner} answers an exception out of a session, the same for every oracle.
 * Kafka reports most failures as a {@link KafkaException} wrapping the cause (a commit failing on a
 * record the broker refused), so causes are looked for along the chain.
 */
public enum FailureKind {
    /** The node failed ({@link NodeException}): back off, then step the same session again. */
    NODE,
    /** Kafka failed: throw the session away, back off, open a new one (its position is read back). */
    KAFKA,
    /** Another instance with the same transactional id took over: stop for good, never write beside it. */
    FENCED,
    /**
     * No retry can help: an {@link OracleFailure}, a Kafka error no reopening mends (not authorized,
     * broker too old, a record too large), or a bug.
     */
    FATAL;

    /** The kind of {@code e}. */
    public static FailureKind of(RuntimeException e) {
        if (e instanceof OracleFailure) {
            return FATAL;
        }
        if (e instanceof NodeException) {
            return NODE;
        }
        if (!(e instanceof KafkaException)) {
            return FATAL;
        }
        if (causedBy(e, ProducerFencedException.class) || causedBy(e, InvalidProducerEpochException.class)) {
            return FENCED;
        }
        if (causedBy(e, AuthorizationException.class) || causedBy(e, UnsupportedVersionException.class)
                || causedBy(e, RecordTooLargeException.class)) {
            return FATAL;
        }
        return KAFKA;
    }

    /** True when {@code e} or one of its causes is a {@code type}. */
    public static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
