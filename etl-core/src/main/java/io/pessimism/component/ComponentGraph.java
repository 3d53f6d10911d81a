package io.pessimism.component;

import io.pessimism.network.Network;
import io.pessimism.registry.Dependency;
import io.pessimism.registry.Register;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The component DAG of one pipeline (the seed's ComponentGraph): every (network, register) the
 * most downstream register needs, resolved recursively through the dependencies. A node reached
 * along several paths appears once. Immutable.
 */
public final class ComponentGraph {

    private final ComponentNode downstream;
    private final List<ComponentNode> nodes;
    private final Map<ComponentNode, List<ComponentNode>> upstream;

    private ComponentGraph(ComponentNode downstream,
            Map<ComponentNode, List<ComponentNode>> upstream) {
        this.downstream = downstream;
        this.nodes = List.copyOf(upstream.keySet());
        this.upstream = Map.copyOf(upstream);
    }

    /**
     * Resolves the DAG of {@code register} on {@code network}; {@code lookup} finds a register by
     * name and fails on an unknown one.
     *
     * @throws IllegalStateException when the registers' dependencies form a cycle
     */
    public static ComponentGraph resolve(Register register, Network network,
            Function<String, Register> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        ComponentNode root = new ComponentNode(network, register);
        Map<ComponentNode, List<ComponentNode>> upstream = new LinkedHashMap<>();
        visit(root, lookup, upstream, new ArrayDeque<>());
        return new ComponentGraph(root, upstream);
    }

    // Depth-first, upstream before downstream: insertion order is a topological order.
    private static void visit(ComponentNode node, Function<String, Register> lookup,
            Map<ComponentNode, List<ComponentNode>> upstream, Deque<ComponentNode> path) {
        if (upstream.containsKey(node)) {
            return;
        }
        if (path.contains(node)) {
            throw new IllegalStateException("dependency cycle: " + cyclePath(path, node));
        }
        path.addLast(node);
        List<ComponentNode> inputs = new ArrayList<>();
        for (Dependency dependency : node.register().dependencies()) {
            ComponentNode input = new ComponentNode(
                    dependency.networkIn(node.network()), lookup.apply(dependency.register()));
            visit(input, lookup, upstream, path);
            inputs.add(input);
        }
        path.removeLast();
        upstream.put(node, List.copyOf(inputs));
    }

    private static String cyclePath(Deque<ComponentNode> path, ComponentNode repeated) {
        List<ComponentNode> cycle = new ArrayList<>(path);
        cycle = cycle.subList(cycle.indexOf(repeated), cycle.size());
        return cycle.stream().map(ComponentNode::toString).collect(Collectors.joining(" -> "))
                + " -> " + repeated;
    }

    /** The most downstream component: the register the pipeline was asked for. */
    public ComponentNode downstream() {
        return downstream;
    }

    /** The pipeline's own network (its most downstream component's). */
    public Network network() {
        return downstream.network();
    }

    /** Every node, upstream before downstream (a topological order); the last is downstream. */
    public List<ComponentNode> nodes() {
        return nodes;
    }

    /** The oracles the pipeline reads, in topological order. */
    public List<ComponentNode> sources() {
        return nodes.stream().filter(n -> n.componentType() == ComponentType.ORACLE).toList();
    }

    /**
     * The source oracle that drives the pipeline and names it in its PipelinePID: reached from
     * the downstream component through each register's primary dependency (a pipe's first
     * dependency, an aggregator's trigger on the pipeline's network).
     */
    public ComponentNode triggerSource() {
        ComponentNode node = downstream;
        while (node.componentType() != ComponentType.ORACLE) {
            Dependency primary = node.register().primaryDependency(node.network()).orElseThrow();
            node = inputOn(node, primary);
        }
        return node;
    }

    /** The inputs of {@code node}, in the order of its register's dependencies. */
    public List<ComponentNode> upstreamOf(ComponentNode node) {
        List<ComponentNode> inputs = upstream.get(node);
        if (inputs == null) {
            throw new IllegalArgumentException("no component " + node + " in " + this);
        }
        return inputs;
    }

    /** The components reading {@code node}'s output, in topological order. */
    public List<ComponentNode> downstreamOf(ComponentNode node) {
        upstreamOf(node);
        return nodes.stream().filter(n -> upstream.get(n).contains(node)).toList();
    }

    /** The input of {@code node} that {@code dependency} names. */
    public ComponentNode inputOn(ComponentNode node, Dependency dependency) {
        List<Dependency> dependencies = node.register().dependencies();
        int index = dependencies.indexOf(dependency);
        if (index < 0) {
            throw new IllegalArgumentException(
                    "component " + node + " has no dependency " + dependency);
        }
        return upstreamOf(node).get(index);
    }

    /** Every edge, upstream to downstream, grouped by downstream in topological order. */
    public List<ComponentEdge> edges() {
        List<ComponentEdge> edges = new ArrayList<>();
        for (ComponentNode node : nodes) {
            for (ComponentNode input : upstream.get(node)) {
                edges.add(new ComponentEdge(input, node));
            }
        }
        return List.copyOf(edges);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ComponentGraph graph
                && downstream.equals(graph.downstream) && upstream.equals(graph.upstream);
    }

    @Override
    public int hashCode() {
        return Objects.hash(downstream, upstream);
    }

    /** The nodes in topological order and the edges, e.g. for logs and error messages. */
    @Override
    public String toString() {
        return "ComponentGraph" + nodes + " " + edges();
    }
}
