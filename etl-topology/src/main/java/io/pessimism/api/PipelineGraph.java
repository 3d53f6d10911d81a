package io.pessimism.api;

import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.component.ComponentEdge;
import io.pessimism.component.ComponentGraph;
import io.pessimism.component.ComponentNode;
import io.pessimism.component.ComponentType;
import io.pessimism.registry.Registry;
import io.pessimism.registry.RegistryGraph;
import io.pessimism.topology.BranchDefinition;
import io.pessimism.topology.BranchLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The registry's register DAG and the pipelines that run on it, as text (like the seed's
 * diagrams): for each pipeline not stopped, removed or merged, its component DAG from the oracle
 * topics it reads to its {@code .out}, named by its branch's prefix, and (JSON) its generated
 * topology as Kafka Streams describes it. Pipelines sharing a prefix share one branch: it is drawn
 * once, with every PUUID on it.
 */
public final class PipelineGraph {

    /** The output formats of {@code GET /v1/graph} and {@code pessimism graph}. */
    public enum Format { mermaid, dot, json }

    private final Registry registry;
    private final List<Branch> branches;

    /** One drawn branch: its layout and the pipelines on it. */
    private record Branch(BranchLayout layout, ComponentGraph graph, List<PipelineSpec> pipelines) {
    }

    /**
     * @param specs  the pipelines known here
     * @param layout how this runtime runs a spec (empty: the pipeline is listed without its topology)
     */
    public PipelineGraph(Registry registry, List<PipelineSpec> specs, Function<PipelineSpec, Optional<BranchLayout>> layout) {
        this.registry = registry;
        Map<String, Branch> byPrefix = new LinkedHashMap<>();
        for (PipelineSpec spec : specs) {
            if (!drawn(spec)) {
                continue;
            }
            Branch branch = byPrefix.get(spec.getPrefix());
            if (branch == null) {
                BranchDefinition definition = BranchDefinition.of(spec, registry);
                BranchLayout found = layout.apply(spec).orElseGet(() -> new BranchLayout(spec.getPrefix(), List.of(),
                        spec.getPrefix() + ".out", ""));
                branch = new Branch(found, definition.graph(), new ArrayList<>());
                byPrefix.put(spec.getPrefix(), branch);
            }
            branch.pipelines().add(spec);
        }
        this.branches = List.copyOf(byPrefix.values());
    }

    private static boolean drawn(PipelineSpec spec) {
        return spec.getDesiredState() == DesiredState.RUNNING || spec.getDesiredState() == DesiredState.PAUSED;
    }

    public String render(Format format) {
        return switch (format) {
            case mermaid -> mermaid();
            case dot -> dot();
            case json -> throw new IllegalArgumentException("JSON is the structure(): serialise it");
        };
    }

    /** Mermaid: the registry, then a subgraph per branch (topics as cylinders, components as boxes). */
    public String mermaid() {
        StringBuilder out = new StringBuilder(new RegistryGraph(registry).mermaid());
        for (int b = 0; b < branches.size(); b++) {
            out.append("    subgraph b").append(b).append("[\"").append(title(branches.get(b))).append("\"]\n");
            walk(branches.get(b), "b" + b, new Drawing() {
                @Override
                public void topic(String id, String name) {
                    out.append("        ").append(id).append("[(\"").append(name).append("\")];\n");
                }

                @Override
                public void component(String id, String name) {
                    out.append("        ").append(id).append("[\"").append(name).append("\"];\n");
                }

                @Override
                public void edge(String from, String to) {
                    out.append("        ").append(from).append(" --> ").append(to).append(";\n");
                }
            });
            out.append("    end\n");
        }
        return out.toString();
    }

    /** DOT: the registry's digraph with a cluster per branch. */
    public String dot() {
        String registryDot = new RegistryGraph(registry).dot();
        StringBuilder out = new StringBuilder(registryDot.substring(0, registryDot.lastIndexOf('}')));
        for (int b = 0; b < branches.size(); b++) {
            out.append("    subgraph cluster_b").append(b).append(" {\n        label=\"").append(title(branches.get(b)))
                    .append("\";\n");
            walk(branches.get(b), "b" + b, new Drawing() {
                @Override
                public void topic(String id, String name) {
                    out.append("        ").append(id).append(" [label=\"").append(name).append("\", shape=cylinder];\n");
                }

                @Override
                public void component(String id, String name) {
                    out.append("        ").append(id).append(" [label=\"").append(name).append("\", shape=box];\n");
                }

                @Override
                public void edge(String from, String to) {
                    out.append("        ").append(from).append(" -> ").append(to).append(";\n");
                }
            });
            out.append("    }\n");
        }
        return out.append("}\n").toString();
    }

    /** What a format draws for one branch's nodes and edges. */
    private interface Drawing {
        void topic(String id, String name);

        void component(String id, String name);

        void edge(String from, String to);
    }

    /** One branch, drawn: its source topics, components and {@code .out} with ids under {@code id}, then the edges. */
    private static void walk(Branch branch, String id, Drawing drawing) {
        List<ComponentNode> nodes = branch.graph().nodes();
        for (int n = 0; n < nodes.size(); n++) {
            ComponentNode node = nodes.get(n);
            int source = node.componentType() == ComponentType.ORACLE ? sourceIndex(branch, node) : -1;
            if (source >= 0) {
                drawing.topic(id + "_n" + n, branch.layout().sources().get(source));
            } else {
                drawing.component(id + "_n" + n, node.toString());
            }
        }
        drawing.topic(id + "_out", branch.layout().out());
        for (ComponentEdge edge : branch.graph().edges()) {
            drawing.edge(id + "_n" + nodes.indexOf(edge.upstream()), id + "_n" + nodes.indexOf(edge.downstream()));
        }
        drawing.edge(id + "_n" + nodes.indexOf(branch.graph().downstream()), id + "_out");
    }

    /** JSON: {@code registers} (as {@link RegistryGraph#structure()}) and {@code branches} with their pipelines and topology. */
    public Map<String, Object> structure() {
        List<Map<String, Object>> drawn = new ArrayList<>();
        for (Branch branch : branches) {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("prefix", branch.layout().prefix());
            node.put("pipelines", branch.pipelines().stream().map(p -> Map.of("puuid", p.getPuuid(),
                    "type", p.getType().name().toLowerCase(), "desiredState", p.getDesiredState().name().toLowerCase(),
                    "owners", List.copyOf(p.getOwners()))).toList());
            node.put("components", branch.graph().nodes().stream().map(ComponentNode::toString).toList());
            node.put("edges", branch.graph().edges().stream().map(ComponentEdge::toString).toList());
            node.put("sources", branch.layout().sources());
            node.put("out", branch.layout().out());
            node.put("topology", branch.layout().describe());
            drawn.add(node);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("registers", new RegistryGraph(registry).structure());
        all.put("branches", drawn);
        return all;
    }

    private static String title(Branch branch) {
        PipelineSpec first = branch.pipelines().get(0);
        return first.getType().name().toLowerCase() + " " + first.getRegister() + " on " + first.getNetwork() + ": "
                + branch.layout().prefix() + " (" + branch.pipelines().size() + " pipeline"
                + (branch.pipelines().size() == 1 ? "" : "s") + ")";
    }

    /** The index of an oracle node's topic in the layout's sources (trigger first, then in DAG order), or -1. */
    private static int sourceIndex(Branch branch, ComponentNode node) {
        if (branch.layout().sources().isEmpty()) {
            return -1;
        }
        ComponentGraph graph = branch.graph();
        if (node.equals(graph.triggerSource())) {
            return 0;
        }
        int i = 1;
        for (ComponentNode source : graph.sources()) {
            if (source.equals(node)) {
                return i < branch.layout().sources().size() ? i : -1;
            }
            if (!source.equals(graph.triggerSource())) {
                i++;
            }
        }
        return -1;
    }
}
