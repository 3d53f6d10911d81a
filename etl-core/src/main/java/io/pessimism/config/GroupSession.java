package io.pessimism.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The liveness contract of a consumer-group member: how long a member that died keeps what the
 * group gave it ({@code session.timeout.ms}, the fail-over time of a killed process), and how often
 * a live member says it is alive ({@code heartbeat.interval.ms}). The heartbeat is a quarter of the
 * timeout, at most Kafka's default 3 s, so a member misses three beats before it is given up.
 *
 * @param timeout the session timeout; the brokers accept it only within their
 *                {@code group.min.session.timeout.ms}..{@code group.max.session.timeout.ms}
 */
public record GroupSession(Duration timeout) {

    private static final Duration MAX_HEARTBEAT = Duration.ofSeconds(3);

    public GroupSession {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a group session timeout must be at least 1 s, was " + timeout);
        }
    }

    /** How often a live member heartbeats. */
    public Duration heartbeat() {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(MAX_HEARTBEAT) < 0 ? quarter : MAX_HEARTBEAT;
    }

    /** {@code session.timeout.ms} and {@code heartbeat.interval.ms}, for a consumer's properties. */
    public Map<String, Object> consumerProperties() {
        return Map.of("session.timeout.ms", (int) timeout.toMillis(),
                "heartbeat.interval.ms", (int) heartbeat().toMillis());
    }
}
