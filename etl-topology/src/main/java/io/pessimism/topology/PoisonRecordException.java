package io.pessimism.topology;

/**
 * Thrown by a processor for a source record that decodes but cannot be processed (e.g. a tombstone
 * on a block topic): the runtime sends the record to {@code <prefix>.dlq} with this message in its
 * headers and the branch continues. Any other exception stops the branch in ERROR.
 */
public final class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String message) {
        super(message);
    }

    /** A record without value on an oracle's topic, where every record is data: {@code what} names its kind. */
    public static PoisonRecordException tombstone(String what, String key) {
        return new PoisonRecordException(what + " record " + key + " has no value (a tombstone on an oracle's topic)");
    }
}
