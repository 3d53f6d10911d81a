package io.pessimism.topic;

import io.pessimism.id.ComponentPID;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.registry.Register;
import io.pessimism.registry.RegisterName;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Every topic name of one deployment, in one place (DESIGN.md §2). No other class spells a
 * topic name. Every name produced is checked: Kafka's legal characters {@code [a-zA-Z0-9._-]},
 * at most {@value #MAX_TOPIC_LENGTH} characters, and a pipeline prefix (also the Kafka Streams
 * {@code application.id}) at most {@value #MAX_PREFIX_LENGTH}, leaving
 * {@value #STREAMS_SUFFIX_RESERVE} characters for Kafka Streams' internal topics
 * {@code <application.id>-<name>-changelog|-repartition}, whose processor and store names must
 * therefore be at most {@value #MAX_INTERNAL_NAME_LENGTH} characters.
 *
 * <ul>
 *   <li>register output: {@code <ns>.<network>.<register>}
 *   <li>shared pipeline prefix: {@code <ns>.<type>.<network>-<register>.<network>-<register>}
 *       (downstream first, source last); a non-shared one adds {@code .<uuid as 32 hex digits>}
 *   <li>under a prefix: {@code <prefix>.out}, {@code <prefix>.dlq}, {@code <prefix>.source}
 *   <li>control: {@code <ns>.pipeline-commands}, {@code <ns>.pipeline-replies}, {@code <ns>.pipelines},
 *       {@code <ns>.pipeline-status}, {@code <ns>.state}, {@code <ns>.oracle-leases},
 *       {@code <ns>._schemas}
 * </ul>
 */
public final class TopicNames {

    /** Kafka's limit on a topic name. */
    public static final int MAX_TOPIC_LENGTH = 249;
    /** Characters kept free after a prefix for Kafka Streams' internal topic names. */
    public static final int STREAMS_SUFFIX_RESERVE = 100;
    /** Longest pipeline prefix ({@code application.id}). */
    public static final int MAX_PREFIX_LENGTH = MAX_TOPIC_LENGTH - STREAMS_SUFFIX_RESERVE;
    /** Longest processor or store name: the reserve less {@code "-"} and {@code "-repartition"}. */
    public static final int MAX_INTERNAL_NAME_LENGTH =
            STREAMS_SUFFIX_RESERVE - 1 - "-repartition".length();
    /** Longest namespace; with {@link RegisterName#MAX_LENGTH} every prefix fits its budget. */
    public static final int MAX_NAMESPACE_LENGTH = 32;

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Pattern LEGAL_NAMESPACE = Pattern.compile("[a-zA-Z0-9_-]+");

    private final String namespace;

    /**
     * @throws IllegalArgumentException naming the key {@code namespace} when it is empty, longer
     *     than {@value #MAX_NAMESPACE_LENGTH} or has a character outside {@code [a-zA-Z0-9_-]}
     */
    public TopicNames(String namespace) {
        this.namespace = requireNamespace(namespace);
    }

    /** Checks a namespace, the error naming the key {@code namespace} and the rule. */
    public static String requireNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("namespace: must not be empty");
        }
        if (!LEGAL_NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("namespace: \"" + namespace
                    + "\" must match [a-zA-Z0-9_-]+ (no '.', which separates topic name parts)");
        }
        if (namespace.length() > MAX_NAMESPACE_LENGTH) {
            throw new IllegalArgumentException("namespace: \"" + namespace + "\" has "
                    + namespace.length() + " characters, at most " + MAX_NAMESPACE_LENGTH
                    + " allowed");
        }
        return namespace;
    }

    /** The namespace every name starts with. */
    public String namespace() {
        return namespace;
    }

    /**
     * Output of a register on a network, shared by every pipeline reading it:
     * {@code <ns>.<network>.<register>}.
     */
    public String registerTopic(Network network, String register) {
        return requireTopic(join(namespace, network.label(), RegisterName.require(register)));
    }

    /** Output of a register on a network: {@code <ns>.<network>.<register>}. */
    public String registerTopic(Network network, Register register) {
        return registerTopic(network, register.name());
    }

    /**
     * The prefix of a shared (mergeable) pipeline, from its PID only:
     * {@code <ns>.<type>.<network>-<register>.<network>-<register>}, downstream first.
     */
    public String pipelinePrefix(PipelinePID pid) {
        return requirePrefix(sharedPrefix(pid));
    }

    /**
     * The prefix of a pipeline: from its PID alone when {@code mergeable} (a live pipeline that
     * others may share), else with the PUUID's UUID as 32 hex digits appended (backfill,
     * backtest: a branch of its own).
     */
    public String pipelinePrefix(PUUID puuid, boolean mergeable) {
        String shared = sharedPrefix(puuid.pid());
        return requirePrefix(mergeable ? shared : join(shared, puuid.uuidHex()));
    }

    /** The pipeline's output, the risk engine's input: {@code <prefix>.out}. */
    public String out(String prefix) {
        return underPrefix(prefix, "out");
    }

    /** Records the pipeline could not process, with headers saying why: {@code <prefix>.dlq}. */
    public String dlq(String prefix) {
        return underPrefix(prefix, "dlq");
    }

    /** A backtest's own source, read by the oracle's BackTestRoutine: {@code <prefix>.source}. */
    public String source(String prefix) {
        return underPrefix(prefix, "source");
    }

    /** The Kafka Streams {@code application.id} of the pipeline: the prefix itself. */
    public String applicationId(String prefix) {
        return requirePrefix(prefix);
    }

    /** Kafka Streams' changelog topic of a store: {@code <prefix>-<store>-changelog}. */
    public String changelog(String prefix, String storeName) {
        return requireTopic(requirePrefix(prefix) + "-" + requireInternalName(storeName)
                + "-changelog");
    }

    /** Kafka Streams' repartition topic of a processor: {@code <prefix>-<name>-repartition}. */
    public String repartition(String prefix, String processorName) {
        return requireTopic(requirePrefix(prefix) + "-" + requireInternalName(processorName)
                + "-repartition");
    }

    /** Commands to the control plane, one partition, applied in order. */
    public String pipelineCommands() {
        return control("pipeline-commands");
    }

    /** One reply per command, keyed by its request id (the REST layer awaits them). */
    public String pipelineReplies() {
        return control("pipeline-replies");
    }

    /** Desired state of every pipeline (compacted, key PUUID). */
    public String pipelines() {
        return control("pipelines");
    }

    /** Observed state of every pipeline (compacted, key PUUID). */
    public String pipelineStatus() {
        return control("pipeline-status");
    }

    /** Address interests, the shared address state (compacted). */
    public String state() {
        return control("state");
    }

    /** Each oracle's observed state (compacted, key {@code <network>.<register>}). */
    public String oracleStatus() {
        return control("oracle-status");
    }

    /**
     * The control plane's Kafka Streams {@code application.id}: {@code <ns>.control} (its consumer
     * group and the prefix of its store changelogs).
     */
    public String controlApplicationId() {
        return requirePrefix(join(namespace, "control"));
    }

    /** Leases deciding which instance runs which oracle. */
    public String oracleLeases() {
        return control("oracle-leases");
    }

    /** The embedded schema registry's store; never {@code _schemas}, a real registry's. */
    public String schemas() {
        return control("_schemas");
    }

    /**
     * Checks a topic name: legal characters and at most {@value #MAX_TOPIC_LENGTH} characters.
     *
     * @return the name
     */
    public static String requireTopic(String topic) {
        if (topic == null || topic.isEmpty() || !LEGAL_TOPIC.matcher(topic).matches()
                || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("topic name \"" + topic
                    + "\" is illegal: must match [a-zA-Z0-9._-]+ and not be '.' or '..'");
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("topic name \"" + topic + "\" is too long: "
                    + topic.length() + " characters, at most " + MAX_TOPIC_LENGTH + " allowed");
        }
        return topic;
    }

    /**
     * Checks a pipeline prefix: a legal topic name of at most {@value #MAX_PREFIX_LENGTH}
     * characters, so Kafka Streams' internal topics under it stay legal.
     *
     * @return the prefix
     */
    public static String requirePrefix(String prefix) {
        requireTopic(prefix);
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("pipeline prefix \"" + prefix + "\" is too long: "
                    + prefix.length() + " characters, at most " + MAX_PREFIX_LENGTH
                    + " allowed (" + MAX_TOPIC_LENGTH + " less " + STREAMS_SUFFIX_RESERVE
                    + " kept for Kafka Streams' internal topic suffixes)");
        }
        return prefix;
    }

    /** Checks a Kafka Streams processor or store name used in internal topic names. */
    public static String requireInternalName(String name) {
        if (name == null || !LEGAL_TOPIC.matcher(name).matches()
                || name.length() > MAX_INTERNAL_NAME_LENGTH) {
            throw new IllegalArgumentException("processor/store name \"" + name
                    + "\" is illegal: must match [a-zA-Z0-9._-]+ with at most "
                    + MAX_INTERNAL_NAME_LENGTH + " characters");
        }
        return name;
    }

    private String sharedPrefix(PipelinePID pid) {
        return join(namespace, pid.pipelineType().label(), component(pid.downstream()),
                component(pid.source()));
    }

    private static String component(ComponentPID pid) {
        return pid.network().label() + "-" + pid.register().name();
    }

    private String underPrefix(String prefix, String suffix) {
        return requireTopic(join(requirePrefix(prefix), suffix));
    }

    private String control(String name) {
        return requireTopic(join(namespace, name));
    }

    private static String join(String... parts) {
        for (String part : parts) {
            Objects.requireNonNull(part, "topic name part");
        }
        return String.join(".", parts);
    }

    @Override
    public String toString() {
        return "TopicNames[" + namespace + "]";
    }
}
