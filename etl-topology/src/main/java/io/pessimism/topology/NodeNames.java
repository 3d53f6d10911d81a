package io.pessimism.topology;

import io.pessimism.component.ComponentNode;
import io.pessimism.topic.TopicNames;

/**
 * The stable names of a generated topology's nodes and stores, so {@code Topology.describe()}
 * reads like the DAG ({@code geth_block.layer1 --> event_log.layer1 --> out}, or for an oracle's
 * register {@code account_balance.layer1 --> account_balance.layer1.delivery --> out}, for an
 * aggregator {@code geth_block.layer2 --> l1_l2_block_sync.layer1.input-1 --> l1_l2_block_sync.layer1})
 * and names, hence
 * internal topics and local state, survive unrelated changes. Every name is checked against the
 * budget Kafka Streams' internal topic names leave ({@link TopicNames#requireInternalName}).
 */
public final class NodeNames {

    /** The sink writing {@code <prefix>.out}. */
    public static final String OUT = "out";
    /** The global store of address interests, read by addressable components. */
    public static final String INTERESTS = "interests";
    /** The source feeding {@link #INTERESTS} from {@code <ns>.state}. */
    public static final String INTERESTS_SOURCE = "interests-source";
    /** The processor loading {@code <ns>.state} records into {@link #INTERESTS}. */
    public static final String INTERESTS_LOADER = "interests-loader";

    /** A backtest's gate after its trigger source: only the range's blocks pass ({@link RangeGate}). */
    public static final String RANGE_GATE = "range-gate";
    /** A backtest's last node before {@link #OUT}: the canonical range, then its end ({@link RangeEnd}). */
    public static final String RANGE_END = "range-end";
    /** A backtest's sink writing its DONE status to {@code <ns>.pipeline-status}, in its transaction. */
    public static final String STATUS = "status";

    private NodeNames() {
    }

    /** A component's node: {@code <register>.<network>} (a source for an oracle, else a processor). */
    public static String component(ComponentNode node) {
        return TopicNames.requireInternalName(node.register().name() + "." + node.network().label());
    }

    /**
     * The processor delivering an oracle's records on {@code <prefix>.out} when a pipeline asks for
     * the oracle's register itself: {@code <register>.<network>.delivery}, after the oracle's source.
     */
    public static String delivery(ComponentNode node) {
        return TopicNames.requireInternalName(component(node) + ".delivery");
    }

    /**
     * The node tagging the records of an aggregator's input {@code index} (the index of the
     * dependency in its register) with that index ({@link InputTag}): {@code <register>.<network>.input-<index>}.
     */
    public static String input(ComponentNode aggregator, int index) {
        return TopicNames.requireInternalName(component(aggregator) + ".input-" + index);
    }

    /** A store of a component: {@code <register>.<network>.<name>}. */
    public static String store(ComponentNode node, String name) {
        return TopicNames.requireInternalName(component(node) + "." + name);
    }
}
