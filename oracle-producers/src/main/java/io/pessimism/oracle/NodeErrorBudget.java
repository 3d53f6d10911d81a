package io.pessimism.oracle;

import io.pessimism.config.SettingType;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * How long an oracle's node may fail before the oracle says it is failing ({@link OracleState#NODE_FAILING},
 * {@code oracles.node-error-budget}): the run of node errors with no step going through in between is
 * timed from its first error. A step that follows a node error retries the call that failed
 * ({@link OracleSession#step}), so a node that stays down fails every step and the run is unbroken.
 * Spent at the first error after the budget, so noticed at most one backoff late. Used by the
 * runner's thread only.
 */
public final class NodeErrorBudget {

    private final Duration budget;
    private final String node;
    private final LongSupplier nanos;
    /** {@link System#nanoTime} of the run's first error; meaningful while {@code errors > 0}. */
    private long since;
    private long errors;
    private boolean spent;

    /**
     * @param node how the node is named ({@link io.pessimism.oracle.rpc.NodeMeters#label})
     */
    public NodeErrorBudget(Duration budget, String node) {
        this(budget, node, System::nanoTime);
    }

    NodeErrorBudget(Duration budget, String node, LongSupplier nanos) {
        if (budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("the node-error budget must be positive, got " + budget);
        }
        this.budget = budget;
        this.node = node;
        this.nanos = nanos;
    }

    /**
     * One more node error.
     *
     * @return why the oracle is failing, naming the node, once the run has lasted the budget; empty within it
     */
    public Optional<String> failed(String error) {
        long now = nanos.getAsLong();
        if (errors++ == 0) {
            since = now;
        }
        Duration failing = Duration.ofNanos(now - since);
        if (failing.compareTo(budget) < 0) {
            return Optional.empty();
        }
        spent = true;
        return Optional.of("node " + node + " has failed every call for " + seconds(failing) + " (" + errors
                + " errors in a row), beyond oracles.node-error-budget " + SettingType.DURATION.format(budget)
                + "; last error: " + error);
    }

    /**
     * A step went through: the run of errors ends.
     *
     * @return whether the budget had been spent (the oracle was failing and no longer is)
     */
    public boolean answered() {
        boolean wasSpent = spent;
        errors = 0;
        spent = false;
        return wasSpent;
    }

    /** Whether the current run of errors has outlasted the budget. */
    public boolean spent() {
        return spent;
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
