package io.pessimism.registry;

/**
 * How an aggregator combines its sources (the seed's synchronization policy). Every policy names
 * the dependency whose records trigger an output: the pipeline's PID uses that trigger's source.
 */
public sealed interface SyncPolicy permits SingleValueSubscription {

    /** The dependency whose records trigger an output. */
    Dependency trigger();

    /** The seed's Single Value Subscription, triggered by {@code trigger}. */
    static SyncPolicy singleValueSubscription(Dependency trigger) {
        return new SingleValueSubscription(trigger);
    }
}
