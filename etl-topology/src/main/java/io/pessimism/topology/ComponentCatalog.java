package io.pessimism.topology;

import io.pessimism.aggregator.L1L2BlockSyncFactory;
import io.pessimism.component.ComponentGraph;
import io.pessimism.component.ComponentNode;
import io.pessimism.component.ComponentType;
import io.pessimism.delivery.AccountBalanceDeliveryFactory;
import io.pessimism.delivery.GethBlockDeliveryFactory;
import io.pessimism.pipe.ContractCreateTxPipeFactory;
import io.pessimism.pipe.EventLogPipeFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The processor implementations of registers, keyed by register name: the topology generator
 * asks it for every pipe and aggregator of a DAG, and, when a pipeline asks for an oracle's
 * register itself, for that oracle's <em>delivery</em>: the processor turning the oracle's
 * records (its shared topic) into the register's {@code <prefix>.out} records. An oracle read by a
 * pipe needs no entry. Immutable; {@link #with} adds an implementation, e.g. a register defined
 * outside this module (tests, plug-ins).
 */
public final class ComponentCatalog {

    private final Map<String, ProcessorFactory> byRegister;

    private ComponentCatalog(Map<String, ProcessorFactory> byRegister) {
        this.byRegister = Map.copyOf(byRegister);
    }

    /** The implementations of the standard registers: pipes, aggregators and the oracles' deliveries. */
    public static ComponentCatalog standard() {
        return of(List.of(
                new EventLogPipeFactory(),
                new ContractCreateTxPipeFactory(),
                new GethBlockDeliveryFactory(),
                new AccountBalanceDeliveryFactory(),
                new L1L2BlockSyncFactory()));
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
     * Why a branch of this DAG cannot be built with this catalogue, or empty when it can: a
     * component it runs as a processor ({@link #processed}) has no implementation here.
     */
    public Optional<String> cannotBuild(ComponentGraph graph) {
        return processed(graph).stream()
                .filter(node -> !byRegister.containsKey(node.register().name()))
                .findFirst()
                .map(node -> node.componentType() == ComponentType.ORACLE
                        ? "register " + node.register().name() + " is an oracle without a delivery in this service "
                                + "(nothing turns its records into a pipeline's output); implemented registers: "
                                + sorted()
                        : "register " + node.register().name() + " has no processor implementation in this "
                                + "service; implemented registers: " + sorted());
    }

    /**
     * The components a branch of this DAG runs as processors, in topological order: its pipes and
     * aggregators, and its downstream component when that is an oracle (its delivery). The other
     * oracles are sources only.
     */
    public static List<ComponentNode> processed(ComponentGraph graph) {
        return graph.nodes().stream()
                .filter(node -> node.componentType() != ComponentType.ORACLE || node.equals(graph.downstream()))
                .toList();
    }

    private List<String> sorted() {
        return byRegister.keySet().stream().sorted().toList();
    }

    /** The registers with an implementation. */
    public Set<String> registers() {
        return Set.copyOf(byRegister.keySet());
    }
}
