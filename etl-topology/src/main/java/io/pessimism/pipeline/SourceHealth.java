package io.pessimism.pipeline;

import io.pessimism.avro.OracleHealth;
import io.pessimism.component.ComponentNode;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest state of each source oracle, as its process publishes it on {@code <ns>.oracle-status}:
 * what a branch needs to tell its sources' head (for its lag) and whether a source has failed (a
 * reorg deeper than the oracle's window stops it: the pipelines reading it are then in ERROR,
 * never silently diverging, DESIGN.md §5) or is failing (its node has failed for longer than
 * {@code oracles.node-error-budget}: ERROR until the oracle reports it answers again). Thread-safe.
 */
final class SourceHealth {

    /** The oracle state that stops a source for good until an operator restarts it. */
    static final String FAILED = "FAILED";
    /** The oracle state of a source whose node has failed beyond its budget: it retries, and recovers by itself. */
    static final String NODE_FAILING = "NODE_FAILING";

    private record Key(String network, String register) {
    }

    private final Map<Key, OracleHealth> latest = new ConcurrentHashMap<>();

    /**
     * Keeps {@code health} unless a later one of the same oracle is held.
     *
     * @return whether this changed whether that oracle has failed
     */
    boolean update(OracleHealth health) {
        Key key = new Key(health.getNetwork(), health.getRegister());
        OracleHealth before = latest.get(key);
        OracleHealth now = latest.merge(key, health,
                (held, next) -> next.getUpdatedAt() >= held.getUpdatedAt() ? next : held);
        return failed(before) != failed(now);
    }

    /** Why one of these sources has failed or is failing, naming it and its error; empty while all are up or unknown. */
    Optional<String> failure(Collection<ComponentNode> sources) {
        for (ComponentNode source : sources) {
            OracleHealth health = latest.get(key(source));
            if (failed(health)) {
                return Optional.of("source oracle " + source.register().name() + " on " + source.network().label()
                        + " (" + health.getTopic() + (health.getHost() == null ? "" : ", on " + health.getHost())
                        + ") is " + health.getState() + ": "
                        + Objects.requireNonNullElse(health.getLastError(), "no reason given"));
            }
        }
        return Optional.empty();
    }

    /** The highest block the source has committed to its topic, when known. */
    Optional<Long> head(ComponentNode source) {
        return Optional.ofNullable(latest.get(key(source))).map(OracleHealth::getOracleHead).filter(h -> h >= 0);
    }

    private static Key key(ComponentNode source) {
        return new Key(source.network().label(), source.register().name());
    }

    private static boolean failed(OracleHealth health) {
        return health != null && (FAILED.equals(health.getState()) || NODE_FAILING.equals(health.getState()));
    }
}
