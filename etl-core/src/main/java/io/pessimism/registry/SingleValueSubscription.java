package io.pessimism.registry;

import java.util.Objects;

/**
 * The seed's Single Value Subscription: on every record of the trigger, one tuple holding that
 * record and, for each other source, its records since the previous trigger (possibly none).
 */
public record SingleValueSubscription(Dependency trigger) implements SyncPolicy {

    public SingleValueSubscription {
        Objects.requireNonNull(trigger, "trigger");
    }

    @Override
    public String toString() {
        return "single_value_subscription(trigger=" + trigger + ")";
    }
}
