package io.pessimism.topic;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.OracleHealth;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.network.Network;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registers;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.serde.PlainAvroSerde;
import io.pessimism.serde.SpecificAvroSerde;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place that names every topic of the system and picks its serdes and creation configs
 * (kafka-streams-examples' {@code Schemas} pattern). Keys are plain UTF-8 strings everywhere;
 * values are Avro in the Confluent wire format, registered in the shared Schema Registry; a DLQ
 * keeps the poison record's original bytes.
 */
public final class Topics {

    /** Big blocks with all their transactions and logs must fit (16 MiB; the brokers allow it). */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    private final TopicNames names;
    private final SchemaRegistryClient registry;
    private final long oracleRetentionMs;

    /** The registry the serdes register and look up their schemas in. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    public Topics(TopicNames names, SchemaRegistryClient registry, long oracleRetentionMs) {
        this.names = names;
        this.registry = registry;
        this.oracleRetentionMs = oracleRetentionMs;
    }

    public TopicNames names() {
        return names;
    }

    /** A value serde for a generated record class, bound to the shared registry (auto-registers). */
    public <V extends SpecificRecord> Serde<V> valueSerde(Class<V> type) {
        return new SpecificAvroSerde<>(type, registry);
    }

    /**
     * A schema-less serde for a state store's values (and so its changelog): nothing is registered,
     * so replays leave no subjects behind (DESIGN.md §1).
     */
    public static <V extends SpecificRecord> Serde<V> storeSerde(Class<V> type) {
        return new PlainAvroSerde<>(type);
    }

    /**
     * The GethBlock oracle's output on a network: one partition (total order by height), history
     * kept for backtests, large records compressed with zstd. Key: the block number in decimal.
     */
    public Topic<String, Block> blocks(Network network) {
        return new Topic<>(names.registerTopic(network, Registers.GETH_BLOCK), Serdes.String(), valueSerde(Block.class),
                1, Map.of(
                        "cleanup.policy", "delete", // history by time (forever by default), never compacted
                        "retention.ms", Long.toString(oracleRetentionMs),
                        "retention.bytes", "-1",
                        "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES),
                        "compression.type", "zstd",
                        "message.timestamp.type", "CreateTime"));
    }

    /**
     * The AccountBalance oracle's output on a network: one partition (block order, retractions in
     * place), history kept for backtests. Key: the block number in decimal, as on the block topic.
     */
    public Topic<String, AccountBalance> balances(Network network) {
        return registerOutput(network, Registers.ACCOUNT_BALANCE, AccountBalance.class);
    }

    /**
     * The output topic of a register on a network, shared by every pipeline reading it
     * ({@code <ns>.<network>.<register>}): an oracle's, or a shared component's. Values are the
     * register's output type; geth_block's is {@link #blocks(Network)}.
     */
    public Topic<String, ? extends SpecificRecord> registerOutput(Network network, Register register) {
        return registerOutput(network, register, register.outputType());
    }

    /**
     * The output topic of a register on a network, typed by its output class (an oracle writing its
     * own records); fails naming the register when {@code type} is not its declared output type.
     */
    public <V extends SpecificRecord> Topic<String, V> registerOutput(Network network, Register register,
            Class<V> type) {
        if (!register.outputType().equals(type)) {
            throw new IllegalArgumentException("register " + register.name() + " outputs "
                    + register.outputType().getName() + ", not " + type.getName());
        }
        if (register.name().equals(Registers.GETH_BLOCK.name())) {
            @SuppressWarnings("unchecked") // V is Block: checked against the register's output type above
            Topic<String, V> blocks = (Topic<String, V>) (Topic<String, ?>) blocks(network);
            return blocks;
        }
        return new Topic<>(names.registerTopic(network, register), Serdes.String(), valueSerde(type), 1, Map.of(
                "retention.ms", Long.toString(oracleRetentionMs),
                "max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
    }

    /** A pipeline's output, the risk engine's input; one value schema per register. */
    public <V extends SpecificRecord> Topic<String, V> out(String prefix, Class<V> outputType) {
        return new Topic<>(names.out(prefix), Serdes.String(), valueSerde(outputType), 1,
                Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
    }

    /**
     * A backtest's own source, {@code <prefix>.source}: the records of {@code oracleTopic} for a range that
     * topic no longer holds, written by the oracle's BackTestRoutine, with that topic's serdes and configs.
     */
    public <V> Topic<String, V> source(String prefix, Topic<String, V> oracleTopic) {
        return new Topic<>(names.source(prefix), oracleTopic.keySerde(), oracleTopic.valueSerde(), 1,
                oracleTopic.configs());
    }

    /** Poison records of a pipeline, as their original bytes, with headers saying why and from where. */
    public Topic<byte[], byte[]> dlq(String prefix) {
        return new Topic<>(names.dlq(prefix), Serdes.ByteArray(), Serdes.ByteArray(), 1,
                Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES)));
    }

    /** Commands to the control plane: one partition, applied in order by one writer. */
    public Topic<String, PipelineCommand> pipelineCommands() {
        return new Topic<>(names.pipelineCommands(), Serdes.String(), valueSerde(PipelineCommand.class), 1,
                Map.of("retention.ms", Long.toString(7L * 24 * 3600 * 1000)));
    }

    /** One reply per command, keyed by request id; short-lived. */
    public Topic<String, PipelineCommandReply> pipelineReplies() {
        return new Topic<>(names.pipelineReplies(), Serdes.String(), valueSerde(PipelineCommandReply.class), 1,
                Map.of("retention.ms", Long.toString(24L * 3600 * 1000)));
    }

    /** Desired state of every pipeline, key PUUID. */
    public Topic<String, PipelineSpec> pipelines() {
        return new Topic<>(names.pipelines(), Serdes.String(), valueSerde(PipelineSpec.class), 1, COMPACTED);
    }

    /** Observed state of every pipeline, key PUUID. */
    public Topic<String, PipelineStatus> pipelineStatus() {
        return new Topic<>(names.pipelineStatus(), Serdes.String(), valueSerde(PipelineStatus.class), 1, COMPACTED);
    }

    /** Address interests, key {@code <PUUID>|<address>|<owner>}; a tombstone withdraws one. */
    public Topic<String, AddressInterest> state() {
        return new Topic<>(names.state(), Serdes.String(), valueSerde(AddressInterest.class), 1, COMPACTED);
    }

    /** Each oracle's observed state, published by the process running it; key {@code <network>.<register>}. */
    public Topic<String, OracleHealth> oracleStatus() {
        return new Topic<>(names.oracleStatus(), Serdes.String(), valueSerde(OracleHealth.class), 1, COMPACTED);
    }

    /**
     * Leases of the oracles: a consumer group over this topic gives each partition, so each
     * (network, register) oracle, to exactly one process. Partition {@code (registerId - 1) *
     * Network.values().length + (networkId - 1)} stands for the oracle of that register on that
     * network, so the topic needs {@code highestRegisterId * Network.values().length} partitions
     * (see {@link #oracleLeasePartitions}); nothing is written to it.
     *
     * @param partitions at least {@link #oracleLeasePartitions} of the highest oracle register id run
     */
    public Topic<byte[], byte[]> oracleLeases(int partitions) {
        return new Topic<>(names.oracleLeases(), Serdes.ByteArray(), Serdes.ByteArray(), partitions, Map.of());
    }

    /** How many partitions {@link #oracleLeases} needs for oracle registers with ids up to {@code highestRegisterId}. */
    public static int oracleLeasePartitions(int highestRegisterId) {
        return highestRegisterId * Network.values().length;
    }

    /** The lease partition of the oracle of {@code register} on {@code network}; see {@link #oracleLeases}. */
    public static int oracleLeasePartition(Network network, Register register) {
        return (register.id() - 1) * Network.values().length + (network.id() - 1);
    }
}
