package io.pessimism.topology;

import io.pessimism.component.ComponentGraph;
import io.pessimism.component.ComponentNode;
import io.pessimism.component.ComponentType;
import io.pessimism.pipe.EventLogPipeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The processor implementations of registers, keyed by register name: the topology generator
 * asks it for every pipe and aggregator of a DAG. Immutable; {@link #with} adds an implementation,
 * e.g. a register defined outside this module (tests, plug-ins).
 */
public final class ComponentCatalog {

    private final Map<String, ProcessorFactory> byRegister;

    private ComponentCatalog(Map<String, ProcessorFactory> byRegister) {
        this.byRegister = Map.copyOf(byRegister);
    }

    /** The implementations of the seed's computed registers ({@code event_log}). */
    public static ComponentCatalog standard() {
        return of(List.of(new EventLogPipeFactory()));
    }

    /** A catalogue of these factories; two for one register is an error. */
    public static ComponentCatalog of(List<ProcessorFactory> factories) {
        ComponentCatalog catalog = new ComponentCatalog(Map.of());
        for (ProcessorFactory factory : factories) {
            catalog = catalog.with(factory);
        }
        return catalog;
    }

    /** This catalogue plus {@code factory}; fails when its register already has one. */
    public ComponentCatalog with(ProcessorFactory factory) {
        Map<String, ProcessorFactory> next = new LinkedHashMap<>(byRegister);
        ProcessorFactory previous = next.putIfAbsent(factory.register(), factory);
        if (previous != null) {
            throw new IllegalArgumentException("register " + factory.register() + " already has a processor: "
                    + previous.getClass().getName() + "; cannot add " + factory.getClass().getName());
        }
        return new ComponentCatalog(next);
    }

    /** The implementation of {@code register}; fails listing the registers that have one. */
    public ProcessorFactory get(String register) {
        return find(register).orElseThrow(() -> new IllegalArgumentException("register " + register
                + " has no processor implementation; implemented registers: " + registers()));
    }

    public Optional<ProcessorFactory> find(String register) {
        return Optional.ofNullable(byRegister.get(register));
    }

    /**
     * Why a branch of this DAG cannot be built with this catalogue, or empty when it can: its
     * register is an oracle (its records are the oracle's topic; a branch computes), or a pipe or
     * aggregator of it has no implementation.
     */
    public Optional<String> cannotBuild(ComponentGraph graph) {
        ComponentNode downstream = graph.downstream();
        if (downstream.componentType() == ComponentType.ORACLE) {
            return Optional.of("register " + downstream.register().name() + " is an oracle: its records are on its "
                    + "own topic; a pipeline computes a pipe or an aggregator (implemented: " + sorted() + ")");
        }
        return graph.nodes().stream()
                .filter(node -> node.componentType() != ComponentType.ORACLE)
                .filter(node -> !byRegister.containsKey(node.register().name()))
                .findFirst()
                .map(node -> "register " + node.register().name() + " has no processor implementation in this "
                        + "service; implemented registers: " + sorted());
    }

    private List<String> sorted() {
        return byRegister.keySet().stream().sorted().toList();
    }

    /** The registers with an implementation. */
    public Set<String> registers() {
        return Set.copyOf(byRegister.keySet());
    }
}
