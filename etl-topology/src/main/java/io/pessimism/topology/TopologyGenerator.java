package io.pessimism.topology;

import io.pessimism.component.ComponentGraph;
import io.pessimism.component.ComponentNode;
import io.pessimism.component.ComponentType;
import io.pessimism.config.Settings;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * Builds a branch's Kafka Streams topology from its component DAG, seeing only the Register
 * abstraction: each oracle becomes a source on its shared topic, each pipe or aggregator the
 * processor its {@link ComponentCatalog} entry supplies, wired to its dependencies in order (an
 * aggregator through one {@link InputTag} node per dependency, so it knows which one a record came
 * through), and
 * the most downstream component feeds {@code <prefix>.out}. When the pipeline asks for an
 * oracle's register itself, the oracle's source feeds its delivery (the catalogue's entry for the
 * oracle), which feeds {@code <prefix>.out}. Addressable components share one global interest
 * store. Nodes carry stable names ({@link NodeNames}). Pure: the runtime and the tests build the
 * same topology.
 *
 * <p>A backtest's range, and a merged pipeline's fence, are two nodes of its topology: a
 * {@link RangeGate} right after the trigger source, which passes on only the range's blocks, and a
 * {@link RangeEnd} right before {@code .out}, which lets out the range (a backtest's canonical
 * chain) and then writes the end marker and the DONE (MERGED) status in the branch's transaction.
 *
 * <p>A backtest whose range is older than its oracle topic holds ({@link BranchDefinition#ownSource})
 * reads {@code <prefix>.source} instead, which the oracle's BackTestRoutine fills with final blocks
 * only: its range end needs no reorg window.
 */
public final class TopologyGenerator {

    private final ComponentCatalog catalog;
    private final Topics topics;
    private final ReorgWindows reorgWindows;
    private final Duration aggregatorMaxWait;

    /** A generator whose backtests wait out the declared default reorg window. */
    public TopologyGenerator(ComponentCatalog catalog, Topics topics) {
        this(catalog, topics, ReorgWindows.declared());
    }

    /** @param reorgWindows how far past its end a backtest's source must be before the range is final */
    public TopologyGenerator(ComponentCatalog catalog, Topics topics, ReorgWindows reorgWindows) {
        this(catalog, topics, reorgWindows, Settings.AGGREGATORS_MAX_WAIT.declaredDefault());
    }

    /**
     * @param reorgWindows      how far past its end a backtest's source must be before the range is
     *                          final, and how long an aggregator keeps a tuple to retract it
     * @param aggregatorMaxWait how long an aggregator waits for a silent source ({@code aggregators.max-wait})
     */
    public TopologyGenerator(ComponentCatalog catalog, Topics topics, ReorgWindows reorgWindows,
            Duration aggregatorMaxWait) {
        this.catalog = catalog;
        this.topics = topics;
        this.reorgWindows = reorgWindows;
        this.aggregatorMaxWait = aggregatorMaxWait;
    }

    /** The topology of {@code branch}, its progress and rejections counted in {@code counters}. */
    public Topology build(BranchDefinition branch, BranchCounters counters) {
        ComponentGraph graph = branch.graph();
        ComponentNode downstream = graph.downstream();
        catalog.cannotBuild(graph).ifPresent(reason -> {
            throw new IllegalArgumentException("pipeline " + branch.puuid() + ": " + reason);
        });
        Topology topology = new Topology();
        Optional<String> interestStore = Optional.empty();
        if (needsInterests(branch)) {
            InterestStore.addTo(topology, topics, counters.rejectedInterestCounter(), branch.puuid());
            interestStore = Optional.of(NodeNames.INTERESTS);
        }
        for (ComponentNode node : graph.nodes()) {
            if (node.componentType() == ComponentType.ORACLE) {
                addSource(topology, branch, node);
                if (branch.bounded() && node.equals(graph.triggerSource())) {
                    addRangeGate(topology, branch);
                }
            } else if (node.componentType() == ComponentType.AGGREGATOR) {
                addAggregator(topology, branch, node, interestStore, counters);
            } else {
                addProcessor(topology, NodeNames.component(node), branch, node, graph.upstreamOf(node),
                        interestStore, counters);
            }
        }
        String last = NodeNames.component(downstream);
        if (downstream.componentType() == ComponentType.ORACLE) {
            // a pipeline of the oracle's own register: its delivery turns the oracle's records into .out records
            last = NodeNames.delivery(downstream);
            addProcessor(topology, last, branch, downstream, List.of(downstream), interestStore, counters);
        }
        Class<? extends SpecificRecord> outputType = catalog.get(downstream.register().name()).outputType();
        if (branch.bounded()) {
            last = addRangeEnd(topology, branch, outputType, last, interestStore, counters);
        }
        addOut(topology, branch, outputType, last);
        return topology;
    }

    /** A backtest's {@link RangeGate}, after its trigger source and before every node that reads it. */
    private void addRangeGate(Topology topology, BranchDefinition branch) {
        ComponentGraph graph = branch.graph();
        List<String> readers = new ArrayList<>();
        for (ComponentNode node : graph.nodes()) {
            List<ComponentNode> inputs = graph.upstreamOf(node);
            if (node.componentType() == ComponentType.AGGREGATOR) {
                for (int i = 0; i < inputs.size(); i++) {
                    if (inputs.get(i).equals(graph.triggerSource())) {
                        readers.add(NodeNames.input(node, i));
                    }
                }
            } else if (node.componentType() != ComponentType.ORACLE && inputs.contains(graph.triggerSource())) {
                readers.add(NodeNames.component(node));
            }
        }
        if (graph.downstream().equals(graph.triggerSource())) {
            readers.add(NodeNames.delivery(graph.downstream()));
        }
        topology.addProcessor(NodeNames.RANGE_GATE, logged(branch, new RangeGate(branch.startHeight(),
                branch.lastHeight(), readers, NodeNames.RANGE_END)), NodeNames.component(graph.triggerSource()));
    }

    /** A backtest's {@link RangeEnd} after {@code last}, with its status sink; returns it, the node feeding {@code .out}. */
    private <V extends SpecificRecord> String addRangeEnd(Topology topology, BranchDefinition branch,
            Class<V> outputType, String last, Optional<String> interestStore, BranchCounters counters) {
        // a source of its own holds final blocks only (its routine writes a reorg window below the head)
        int window = branch.ownSource() ? 0 : reorgWindows.of(branch.graph().triggerSource().network());
        boolean exactFence = needsInterests(branch.graph()); // its records wait for the horizon: the fence is seen first
        topology.addProcessor(NodeNames.RANGE_END, logged(branch, new RangeEnd<>(branch, outputType, window,
                interestStore, exactFence, counters, NodeNames.OUT, NodeNames.STATUS)), last, NodeNames.RANGE_GATE);
        var status = topics.pipelineStatus();
        topology.addSink(NodeNames.STATUS, status.name(), status.keySerde().serializer(),
                status.valueSerde().serializer(), NodeNames.RANGE_END);
        return NodeNames.RANGE_END;
    }

    private void addSource(Topology topology, BranchDefinition branch, ComponentNode oracle) {
        Topic<String, ?> source = sourceTopic(branch, oracle);
        topology.addSource(NodeNames.component(oracle), source.keySerde().deserializer(),
                source.valueSerde().deserializer(), source.name());
    }

    /**
     * Adds the processor the catalogue has for {@code node}'s register, named {@code name}, reading
     * {@code inputs}; a processor reading the trigger source reports the branch's progress.
     */
    private void addProcessor(Topology topology, String name, BranchDefinition branch, ComponentNode node,
            List<ComponentNode> inputs, Optional<String> interestStore, BranchCounters counters) {
        String[] parents = inputs.stream().map(input -> parent(branch, input)).distinct().toArray(String[]::new);
        ProcessorSupplier<String, ?, String, ?> supplier = supplier(branch, node, interestStore, counters);
        if (inputs.contains(branch.graph().triggerSource())) {
            supplier = tracked(supplier, counters);
        }
        topology.addProcessor(name, logged(branch, supplier), parents);
    }

    /**
     * Adds an aggregator after one {@link InputTag} node per input edge ({@link NodeNames#input}),
     * so its processor knows which dependency each record came through. The tag of an edge from
     * the trigger source reports the branch's progress, as a pipe reading the source does; the
     * aggregator itself reads every source and reports nothing.
     */
    private void addAggregator(Topology topology, BranchDefinition branch, ComponentNode node,
            Optional<String> interestStore, BranchCounters counters) {
        List<ComponentNode> inputs = branch.graph().upstreamOf(node);
        String[] tags = new String[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            tags[i] = NodeNames.input(node, i);
            ProcessorSupplier<String, Object, String, Object> tag = new InputTag(i);
            if (inputs.get(i).equals(branch.graph().triggerSource())) {
                tag = tracked(tag, counters);
            }
            topology.addProcessor(tags[i], logged(branch, tag), parent(branch, inputs.get(i)));
        }
        topology.addProcessor(NodeNames.component(node), logged(branch, supplier(branch, node, interestStore, counters)),
                tags);
    }

    private ProcessorSupplier<String, ?, String, ?> supplier(BranchDefinition branch, ComponentNode node,
            Optional<String> interestStore, BranchCounters counters) {
        Optional<String> store = node.register().addressable() ? interestStore : Optional.empty();
        var context = new ComponentContext(branch, node, store, topics, counters, reorgWindows, aggregatorMaxWait);
        return catalog.get(node.register().name()).processor(context);
    }

    /** The node a component reads {@code input} from: its node, or a bounded branch's range gate for its trigger. */
    private static String parent(BranchDefinition branch, ComponentNode input) {
        return branch.bounded() && input.equals(branch.graph().triggerSource())
                ? NodeNames.RANGE_GATE : NodeNames.component(input);
    }

    /** Why a branch of this DAG cannot be built, or empty when it can (see {@link ComponentCatalog#cannotBuild}). */
    public Optional<String> cannotBuild(ComponentGraph graph) {
        return catalog.cannotBuild(graph);
    }

    /**
     * The topics the branch reads and writes, for the runtime to create before it starts: its
     * {@code .out} and {@code .dlq}, its sources, and {@code <ns>.state} when it reads interests.
     */
    public List<Topic<?, ?>> topicsOf(BranchDefinition branch) {
        List<Topic<?, ?>> all = new ArrayList<>();
        all.add(topics.out(branch.prefix(), catalog.get(branch.register()).outputType()));
        all.add(topics.dlq(branch.prefix()));
        all.addAll(sourceTopics(branch));
        if (needsInterests(branch)) {
            all.add(topics.state());
        }
        if (branch.bounded()) {
            all.add(topics.pipelineStatus()); // its DONE or MERGED is written in its transaction
        }
        return all;
    }

    /** The shared topics of the branch's oracles, trigger source first. */
    public List<Topic<String, ?>> sourceTopics(BranchDefinition branch) {
        return sources(branch).stream().<Topic<String, ?>>map(BranchSource::topic).toList();
    }

    /** The branch's oracle sources with their networks, trigger source first. */
    public List<BranchSource> sources(BranchDefinition branch) {
        ComponentGraph graph = branch.graph();
        ComponentNode trigger = graph.triggerSource();
        List<BranchSource> sources = new ArrayList<>();
        sources.add(new BranchSource(sourceTopic(branch, trigger), trigger.network(), true));
        for (ComponentNode node : graph.sources()) {
            if (!node.equals(trigger)) {
                sources.add(new BranchSource(topics.registerOutput(node.network(), node.register()), node.network(),
                        false));
            }
        }
        return sources;
    }

    /** The topic a branch reads an oracle's records from: the oracle's shared topic, or the branch's own source. */
    private Topic<String, ?> sourceTopic(BranchDefinition branch, ComponentNode oracle) {
        Topic<String, ?> shared = topics.registerOutput(oracle.network(), oracle.register());
        return branch.ownSource() && oracle.equals(branch.graph().triggerSource())
                ? topics.source(branch.prefix(), shared) : shared;
    }

    /** An addressable component reads interests; a mergeable branch reads its merge fence from the same store. */
    private static boolean needsInterests(BranchDefinition branch) {
        return needsInterests(branch.graph()) || branch.mergeable();
    }

    private static boolean needsInterests(ComponentGraph graph) {
        return ComponentCatalog.processed(graph).stream().anyMatch(n -> n.register().addressable());
    }

    /** Every processor of a branch logs as its pipeline ({@link PipelineLogContext}). */
    private static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> logged(BranchDefinition branch,
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return PipelineLogContext.of(branch.puuid(), supplier);
    }

    private static <V, O> ProcessorSupplier<String, V, String, O> tracked(
            ProcessorSupplier<String, V, String, O> supplier, BranchCounters counters) {
        return new TriggerProgress<>(supplier, counters);
    }

    private <V extends SpecificRecord> void addOut(Topology topology, BranchDefinition branch, Class<V> type,
            String parent) {
        Topic<String, V> out = topics.out(branch.prefix(), type);
        topology.addSink(NodeNames.OUT, out.name(), Serdes.String().serializer(), out.valueSerde().serializer(),
                parent);
    }
}
