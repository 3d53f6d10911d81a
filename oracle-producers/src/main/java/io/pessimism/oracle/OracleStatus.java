package io.pessimism.oracle;

import java.time.Instant;
import java.util.Optional;

/**
 * What the ETL (and an operator) can read about one oracle at any time.
 *
 * @param oracleHead the highest height committed to the topic, -1 before the first
 * @param nodeHead the node's head at the last look, -1 before the first
 * @param nodeErrors failed node calls since start (each one backed off and retried)
 * @param kafkaErrors failed Kafka operations since start (each one reopened the producer)
 * @param reorgs reorgs resolved since start
 * @param lastError the last failure, with what and where
 */
public record OracleStatus(
        String network,
        String topic,
        OracleState state,
        long oracleHead,
        long nodeHead,
        long nodeErrors,
        long kafkaErrors,
        long reorgs,
        Optional<String> lastError,
        Instant updatedAt) {

    public static OracleStatus starting(String network, String topic) {
        return new OracleStatus(network, topic, OracleState.STARTING, -1, -1, 0, 0, 0, Optional.empty(), Instant.now());
    }

    /** How far the oracle is behind the node; 0 when either is unknown. */
    public long lag() {
        return oracleHead < 0 || nodeHead < 0 ? 0 : Math.max(0, nodeHead - oracleHead);
    }

    /**
     * In another state; but a session's progress within a step (CATCHING_UP, LIVE) does not end
     * NODE_FAILING, or a step that looks at the head and then fails would show LIVE to whoever reads
     * the status meanwhile: only {@link #withNodeAnswering} does, once a whole step went through.
     */
    public OracleStatus withState(OracleState value) {
        OracleState next = state == OracleState.NODE_FAILING
                && (value == OracleState.CATCHING_UP || value == OracleState.LIVE) ? state : value;
        return new OracleStatus(network, topic, next, oracleHead, nodeHead, nodeErrors, kafkaErrors, reorgs,
                lastError, Instant.now());
    }

    /** A step went through after the node failed beyond its budget: CATCHING_UP until the session says LIVE. */
    public OracleStatus withNodeAnswering() {
        OracleState next = state == OracleState.NODE_FAILING ? OracleState.CATCHING_UP : state;
        return new OracleStatus(network, topic, next, oracleHead, nodeHead, nodeErrors, kafkaErrors, reorgs,
                lastError, Instant.now());
    }

    public OracleStatus withOracleHead(long value) {
        return new OracleStatus(network, topic, state, value, nodeHead, nodeErrors, kafkaErrors, reorgs, lastError,
                Instant.now());
    }

    public OracleStatus withNodeHead(long value) {
        return new OracleStatus(network, topic, state, oracleHead, value, nodeErrors, kafkaErrors, reorgs, lastError,
                Instant.now());
    }

    public OracleStatus withNodeError(String error) {
        return new OracleStatus(network, topic, OracleState.BACKING_OFF, oracleHead, nodeHead, nodeErrors + 1,
                kafkaErrors, reorgs, Optional.of(error), Instant.now());
    }

    /** Failing beyond the node-error budget: {@link OracleState#NODE_FAILING}, {@code reason} its last error. */
    public OracleStatus withNodeFailing(String reason) {
        return new OracleStatus(network, topic, OracleState.NODE_FAILING, oracleHead, nodeHead, nodeErrors,
                kafkaErrors, reorgs, Optional.of(reason), Instant.now());
    }

    public OracleStatus withKafkaError(String error) {
        return new OracleStatus(network, topic, OracleState.BACKING_OFF, oracleHead, nodeHead, nodeErrors,
                kafkaErrors + 1, reorgs, Optional.of(error), Instant.now());
    }

    public OracleStatus withReorg() {
        return new OracleStatus(network, topic, state, oracleHead, nodeHead, nodeErrors, kafkaErrors, reorgs + 1,
                lastError, Instant.now());
    }

    public OracleStatus withFailure(String error) {
        return new OracleStatus(network, topic, OracleState.FAILED, oracleHead, nodeHead, nodeErrors, kafkaErrors,
                reorgs, Optional.of(error), Instant.now());
    }
}
