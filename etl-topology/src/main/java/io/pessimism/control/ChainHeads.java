package io.pessimism.control;

import io.pessimism.config.KafkaConnection;
import io.pessimism.network.Network;
import io.pessimism.registry.Registers;
import io.pessimism.topic.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.BytesDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Bytes;

/**
 * The block a request accepted now is assigned (DESIGN.md §6): the head of the network's
 * {@code <ns>.<network>.geth_block} + 1, the head being the key of its last committed record
 * (0 when the topic is empty). The last offsets may be transaction markers, so the read scans
 * back with {@code read_committed}. A head read less than {@code maxAge} ago is reused: a block
 * assigned a little early only makes an interest apply from the branch's current position.
 */
public final class ChainHeads implements NextBlocks, AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private record Head(long block, long readAtMillis) {
    }

    private final KafkaConsumer<String, Bytes> consumer;
    private final TopicNames names;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<Network, Head> heads = new EnumMap<>(Network.class);

    /** @param use what reads these heads, in the consumer's client id ({@code <ns>.chain-heads.<use>}) */
    public ChainHeads(KafkaConnection kafka, TopicNames names, Duration maxAge, String use) {
        Properties props = AssignedConsumers.props(kafka, names.namespace() + ".chain-heads." + use, 10);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new BytesDeserializer());
        this.names = names;
        this.maxAge = maxAge;
        this.clock = Clock.systemUTC();
    }

    /** The head of {@code network} + 1. */
    @Override
    public synchronized long nextBlock(Network network) {
        long now = clock.millis();
        Head head = heads.get(network);
        if (head == null || now - head.readAtMillis() > maxAge.toMillis()) {
            head = new Head(readHead(network), now);
            heads.put(network, head);
        }
        return head.block() + 1;
    }

    /** The key of the first committed record of the network's block topic, read afresh each time. */
    @Override
    public synchronized OptionalLong firstHeld(Network network) {
        TopicPartition partition = new TopicPartition(names.registerTopic(network, Registers.GETH_BLOCK), 0);
        consumer.assign(List.of(partition));
        long begin = consumer.beginningOffsets(List.of(partition)).get(partition);
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        consumer.seek(partition, begin);
        long deadline = clock.millis() + READ_TIMEOUT.toMillis();
        while (consumer.position(partition) < end) {
            if (clock.millis() > deadline) {
                throw new IllegalStateException("could not read the first record of " + partition + " within "
                        + READ_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, Bytes> record : consumer.poll(Duration.ofMillis(100))) {
                return OptionalLong.of(blockNumber(record));
            }
        }
        return OptionalLong.empty();
    }

    private long readHead(Network network) {
        String topic = names.registerTopic(network, Registers.GETH_BLOCK);
        TopicPartition partition = new TopicPartition(topic, 0);
        consumer.assign(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long window = 8;
        for (long from = Math.max(0, end - window); ; from = Math.max(0, end - window)) {
            ConsumerRecord<String, Bytes> last = lastRecord(partition, from, end);
            if (last != null) {
                return blockNumber(last);
            }
            if (from == 0) {
                return 0;
            }
            window *= 4;
        }
    }

    private ConsumerRecord<String, Bytes> lastRecord(TopicPartition partition, long from, long end) {
        consumer.seek(partition, from);
        ConsumerRecord<String, Bytes> last = null;
        long deadline = clock.millis() + READ_TIMEOUT.toMillis();
        while (consumer.position(partition) < end) {
            if (clock.millis() > deadline) {
                throw new IllegalStateException("could not read " + partition + " up to offset " + end + " within "
                        + READ_TIMEOUT.toSeconds() + " s to find the chain head");
            }
            for (ConsumerRecord<String, Bytes> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.offset() < end) {
                    last = record;
                }
            }
        }
        return last;
    }

    private static long blockNumber(ConsumerRecord<String, Bytes> record) {
        try {
            return Long.parseLong(record.key());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(record.topic() + " offset " + record.offset() + ": key \"" + record.key()
                    + "\" is not a block number", e);
        }
    }

    @Override
    public synchronized void close() {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(2)));
    }
}
