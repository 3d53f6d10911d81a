package io.pessimism.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's register DAG as text: Mermaid (for docs and GitHub), DOT (Graphviz) or a plain
 * structure for JSON. An edge reads "feeds": a dependency points at the register that reads it.
 */
public final class RegistryGraph {

    private final Registry registry;

    public RegistryGraph(Registry registry) {
        this.registry = registry;
    }

    public String mermaid() {
        StringBuilder out = new StringBuilder("graph LR;\n");
        for (Register r : registry.all()) {
            out.append("    ").append(r.name()).append("[\"").append(label(r)).append("\"];\n");
        }
        for (Register r : registry.all()) {
            for (Dependency d : r.dependencies()) {
                out.append("    ").append(d.register()).append(" -->")
                        .append(d.network().map(n -> "|" + n.label() + "|").orElse("")).append(' ')
                        .append(r.name()).append(";\n");
            }
        }
        return out.toString();
    }

    public String dot() {
        StringBuilder out = new StringBuilder("digraph registry {\n    rankdir=LR;\n");
        for (Register r : registry.all()) {
            out.append("    ").append(r.name()).append(" [label=\"").append(label(r)).append("\"];\n");
        }
        for (Register r : registry.all()) {
            for (Dependency d : r.dependencies()) {
                out.append("    ").append(d.register()).append(" -> ").append(r.name())
                        .append(d.network().map(n -> " [label=\"" + n.label() + "\"]").orElse("")).append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    /** One map per register, in id order: name, id, component type, output type, dependencies, addressable. */
    public List<Map<String, Object>> structure() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Register r : registry.all()) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("name", r.name());
            node.put("id", r.id());
            node.put("componentType", r.componentType().label());
            node.put("outputType", r.outputType().getSimpleName());
            node.put("dependencies", r.dependencies().stream().map(Dependency::toString).toList());
            node.put("addressable", r.addressable());
            out.add(node);
        }
        return out;
    }

    private static String label(Register r) {
        return r.name() + " (" + r.componentType().label() + (r.addressable() ? ", addressable" : "") + ")";
    }
}
