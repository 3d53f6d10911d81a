package io.pessimism.topology;

import io.pessimism.component.ComponentNode;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ProcessorFactory} is given to build one component of a branch.
 *
 * @param branch        the branch being built
 * @param node          the component (register on a network) to build
 * @param interestStore the global store of address interests, present for addressable registers
 * @param topics        the topic catalogue, for serdes of the component's own stores
 * @param counters      the branch's counters, for a processor that holds blocks back to say so
 * @param reorgWindows  how deep a reorg can reach on each network: a component keeping what it emitted
 *                      in order to retract it (an aggregator) forgets it once that deep
 * @param maxWait       how long an aggregator waits for a silent source ({@code aggregators.max-wait})
 */
public record ComponentContext(BranchDefinition branch, ComponentNode node, Optional<String> interestStore,
                               Topics topics, BranchCounters counters, ReorgWindows reorgWindows,
                               Duration maxWait) {

    public ComponentContext {
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(interestStore, "interestStore");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(reorgWindows, "reorgWindows");
        Objects.requireNonNull(maxWait, "maxWait");
    }

    /** The stable name of a store of this component ({@code <register>.<network>.<name>}). */
    public String storeName(String name) {
        return NodeNames.store(node, name);
    }

    /** The interest store; fails naming the register when it is not addressable. */
    public String requireInterestStore() {
        return interestStore.orElseThrow(() -> new IllegalStateException("register "
                + node.register().name() + " is not addressable: it has no interest store"));
    }
}
