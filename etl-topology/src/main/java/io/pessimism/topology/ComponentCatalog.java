package io.pessimism.topology;

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

    /** The registers with an implementation. */
    public Set<String> registers() {
        return Set.copyOf(byRegister.keySet());
    }
}
