package io.pessimism.registry;

import io.pessimism.component.ComponentType;
import io.pessimism.network.Network;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * The seed's register definition: the blueprint of one kind of component. Immutable and checked
 * on construction: an oracle has no dependencies, a pipe at least one, an aggregator at least two
 * and a synchronization policy whose trigger is one of them on every network. Whether the dependencies exist is
 * the {@link Registry}'s check.
 *
 * @param name          lower-case name, {@code [a-z0-9_]+} (see {@link RegisterName})
 * @param id            the byte in PIDs, 1..127, unique in a registry
 * @param componentType oracle, pipe or aggregator
 * @param outputType    the Avro record the component emits (the register's typed value)
 * @param dependencies  ordered inputs; the first one is a pipe's primary input
 * @param addressable   whether the component needs the shared address state (interests)
 * @param matchesEvents whether its interests name event signatures to match at the address
 *                      (event_log); an addressable register without it watches addresses only
 *                      (account_balance), and an interest in it carries no signatures
 * @param syncPolicy    an aggregator's synchronization policy, empty for other components
 * @param description   one line for listings ({@code GET /v1/registers},
 *                      {@code pessimism registry})
 */
public record Register(
        String name,
        byte id,
        ComponentType componentType,
        Class<? extends SpecificRecord> outputType,
        List<Dependency> dependencies,
        boolean addressable,
        boolean matchesEvents,
        Optional<SyncPolicy> syncPolicy,
        String description) {

    public Register {
        RegisterName.require(name);
        if (id < 1) {
            throw new IllegalArgumentException(
                    "register " + name + ": id " + id + " is illegal, must be in 1..127");
        }
        Objects.requireNonNull(componentType, () -> "register " + name + ": componentType");
        Objects.requireNonNull(outputType, () -> "register " + name + ": outputType");
        dependencies = List.copyOf(dependencies);
        Objects.requireNonNull(syncPolicy, () -> "register " + name + ": syncPolicy");
        description = description == null ? "" : description;
        checkShape(name, componentType, dependencies, syncPolicy);
        if (matchesEvents && !addressable) {
            throw new IllegalArgumentException("register " + name
                    + ": matching events needs interests, so the register must be addressable");
        }
    }

    /** Starts an oracle register. */
    public static Builder oracle(String name, int id, Class<? extends SpecificRecord> outputType) {
        return new Builder(name, id, ComponentType.ORACLE, outputType);
    }

    /** Starts a pipe register. */
    public static Builder pipe(String name, int id, Class<? extends SpecificRecord> outputType) {
        return new Builder(name, id, ComponentType.PIPE, outputType);
    }

    /** Starts an aggregator register. */
    public static Builder aggregator(
            String name, int id, Class<? extends SpecificRecord> outputType) {
        return new Builder(name, id, ComponentType.AGGREGATOR, outputType);
    }

    /**
     * The dependency a pipeline on {@code network} follows towards its source oracle (its PID's
     * source): an aggregator's trigger on that network ({@link SyncPolicy#triggerIn}), a pipe's
     * first dependency; empty for an oracle.
     */
    public Optional<Dependency> primaryDependency(Network network) {
        return switch (componentType) {
            case ORACLE -> Optional.empty();
            case PIPE -> Optional.of(dependencies.get(0));
            case AGGREGATOR -> syncPolicy.flatMap(policy -> policy.triggerIn(dependencies, network));
        };
    }

    @Override
    public String toString() {
        return name + "(" + id + ", " + componentType.label() + ")";
    }

    private static void checkShape(String name, ComponentType type, List<Dependency> deps,
            Optional<SyncPolicy> policy) {
        String where = "register " + name + " (" + type.label() + ")";
        Set<Dependency> seen = new HashSet<>();
        for (Dependency dependency : deps) {
            if (!seen.add(dependency)) {
                throw new IllegalArgumentException(where + ": dependency " + dependency
                        + " is listed twice");
            }
        }
        switch (type) {
            case ORACLE -> require(deps.isEmpty(), where + ": an oracle has no dependencies, got "
                    + deps);
            case PIPE -> require(!deps.isEmpty(), where + ": a pipe needs at least one dependency");
            case AGGREGATOR -> {
                require(deps.size() >= 2, where
                        + ": an aggregator needs at least two dependencies, got " + deps);
                require(policy.isPresent(), where + ": an aggregator needs a sync policy");
                Dependency trigger = policy.get().trigger();
                if (trigger.network().isPresent()) {
                    require(deps.contains(trigger), where + ": trigger " + trigger
                            + " is not among its dependencies " + deps);
                }
                // a trigger without a network is the dependency on the pipeline's own: one on every network
                for (Network network : Network.values()) {
                    require(policy.get().triggerIn(deps, network).isPresent(), where + ": trigger " + trigger
                            + " names no dependency of a pipeline on " + network.label() + " (neither " + trigger
                            + " nor " + trigger + "@" + network.label() + " is among " + deps + ")");
                }
            }
        }
        if (type != ComponentType.AGGREGATOR) {
            require(policy.isEmpty(), where + ": only an aggregator has a sync policy");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Collects a register's fields; {@link #build()} validates them. */
    public static final class Builder {
        private final String name;
        private final int id;
        private final ComponentType componentType;
        private final Class<? extends SpecificRecord> outputType;
        private final List<Dependency> dependencies = new ArrayList<>();
        private boolean addressable;
        private boolean matchesEvents;
        private SyncPolicy syncPolicy;
        private String description = "";

        private Builder(String name, int id, ComponentType componentType,
                Class<? extends SpecificRecord> outputType) {
            this.name = name;
            this.id = id;
            this.componentType = componentType;
            this.outputType = outputType;
        }

        /** Adds dependencies, in order, written {@code register} or {@code register@network}. */
        public Builder dependsOn(String... dependencies) {
            for (String dependency : dependencies) {
                this.dependencies.add(Dependency.parse(dependency));
            }
            return this;
        }

        /** Adds a dependency. */
        public Builder dependsOn(Dependency dependency) {
            dependencies.add(Objects.requireNonNull(dependency, "dependency"));
            return this;
        }

        /** Marks the register as needing the shared address state. */
        public Builder addressable() {
            this.addressable = true;
            return this;
        }

        /**
         * Marks an addressable register whose interests name the event signatures to match at
         * each address, so the control plane requires and checks them.
         */
        public Builder matchesEvents() {
            this.matchesEvents = true;
            return this;
        }

        /**
         * An aggregator's Single Value Subscription, triggered by {@code trigger}: a dependency, or
         * a register without a network for its dependency on the pipeline's own network.
         */
        public Builder triggeredBy(String trigger) {
            return syncPolicy(SyncPolicy.singleValueSubscription(Dependency.parse(trigger)));
        }

        /** An aggregator's synchronization policy. */
        public Builder syncPolicy(SyncPolicy policy) {
            this.syncPolicy = Objects.requireNonNull(policy, "syncPolicy");
            return this;
        }

        /** A one-line description for listings. */
        public Builder description(String description) {
            this.description = Objects.requireNonNull(description, "description");
            return this;
        }

        /** Builds and validates the register. */
        public Register build() {
            if (id < 1 || id > Byte.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "register " + name + ": id " + id + " is illegal, must be in 1..127");
            }
            return new Register(name, (byte) id, componentType, outputType, dependencies,
                    addressable, matchesEvents, Optional.ofNullable(syncPolicy), description);
        }
    }
}
