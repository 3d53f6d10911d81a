package io.pessimism.registry;

import io.pessimism.network.Network;
import java.util.List;
import java.util.Optional;

/**
 * How an aggregator combines its sources (the seed's synchronization policy). Every policy names
 * the dependency whose records trigger an output: the pipeline's PID uses that trigger's source.
 */
public sealed interface SyncPolicy permits SingleValueSubscription {

    /**
     * The trigger as the register writes it: one of its dependencies, or a register without a
     * network, meaning the dependency on that register on the pipeline's own network (DESIGN.md
     * §6: {@code l1_l2_block_sync} on {@code layer1} triggers on L1 blocks), as a dependency
     * without a network means the pipeline's own network.
     */
    Dependency trigger();

    /**
     * The dependency whose records trigger an output in a pipeline on {@code network}: the trigger
     * when it is one of {@code dependencies}, else, for a trigger without a network, the dependency
     * on the same register pinned to {@code network}; empty when neither exists.
     */
    default Optional<Dependency> triggerIn(List<Dependency> dependencies, Network network) {
        Dependency trigger = trigger();
        if (dependencies.contains(trigger)) {
            return Optional.of(trigger);
        }
        if (trigger.network().isPresent()) {
            return Optional.empty();
        }
        return dependencies.stream()
                .filter(d -> d.register().equals(trigger.register()) && d.network().equals(Optional.of(network)))
                .findFirst();
    }

    /** The seed's Single Value Subscription, triggered by {@code trigger}. */
    static SyncPolicy singleValueSubscription(Dependency trigger) {
        return new SingleValueSubscription(trigger);
    }
}
