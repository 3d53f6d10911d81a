package io.pessimism.oracle.balance;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.oracle.OracleSession;
import io.pessimism.oracle.OracleSessions;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleTopic;
import io.pessimism.oracle.TopicTail;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the AccountBalance oracle's sessions: its topics checked or created, its producer's
 * {@code initTransactions} (fencing an older instance and aborting what it left open), its ledger
 * read back from its whole output topic, its block consumer at the offset its last transaction
 * committed (the block topic's end on a first start, committed at once), and the address state read up
 * to its end.
 */
final class BalanceSessions implements OracleSessions {

    private static final Logger log = LoggerFactory.getLogger(BalanceSessions.class);
    static final int MAX_POLL_RECORDS = 500;
    /** Balance records are small: batch many per request. */
    private static final Map<String, Object> TUNING = Map.of(
            ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
            ProducerConfig.LINGER_MS_CONFIG, 5);

    private final BalanceOracleParts parts;
    private final Register register;
    private final Registry registry;

    BalanceSessions(BalanceOracleParts parts, Register register, Registry registry) {
        this.parts = parts;
        this.register = register;
        this.registry = registry;
    }

    @Override
    public OracleSession open() {
        long started = System.nanoTime();
        OracleSettings settings = parts.settings();
        BalanceTopics topics = parts.topics();
        OracleTopic.ensure(settings.kafka(), topics.output(), settings.replicationFactor());
        // the block oracle may not have run yet: its topic is created with its declared configs
        OracleTopic.ensure(settings.kafka(), topics.blocks(), settings.replicationFactor());
        TopicAdmin.ensure(settings.kafka(), settings.replicationFactor(), topics.state());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            KafkaProducer<String, AccountBalance> producer = new KafkaProducer<>(
                    OracleProducers.config(settings, topics.output().name(), TUNING),
                    topics.output().keySerde().serializer(), topics.output().valueSerde().serializer());
            opened.add(producer);
            opened.add(parts.meters().bind(producer));
            producer.initTransactions();
            BalanceLedger ledger = TopicTail.read(settings.kafka(), topics.output().name(),
                    topics.output().valueSerde().deserializer(), Long.MAX_VALUE / 4,
                    () -> new BalanceLedger(settings.reorgWindow()));
            KafkaConsumer<String, Block> blocks = blockConsumer();
            opened.add(blocks);
            opened.add(parts.meters().bind(blocks));
            long position = resume(blocks, producer);
            InterestFeed interests = new InterestFeed(settings.kafka(), topics.state(),
                    new WatchList(settings.network(), register, registry), parts.name());
            opened.add(interests);
            interests.catchUp();
            log.info("{}: resuming at {}@{} with {} addresses' last balances; {} interests, horizon {}",
                    parts.name(), topics.blocks().name(), position, ledger.size(), interests.watch().interests(),
                    interests.horizon());
            parts.time(BalanceStageTimes.opened(System.nanoTime() - started));
            return new BalanceSession(parts, producer, blocks, interests, ledger, opened);
        } catch (RuntimeException e) {
            for (AutoCloseable closeable : opened) {
                try {
                    closeable.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private KafkaConsumer<String, Block> blockConsumer() {
        Properties props = parts.settings().kafka().asProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, parts.topics().group());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, parts.topics().group());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES);
        return new KafkaConsumer<>(props, new StringDeserializer(), parts.topics().blocks().valueSerde().deserializer());
    }

    /**
     * Seeks to the offset the last transaction committed, or to the block topic's end on a first start.
     * A first start commits that end at once, in a transaction of its own: until a transaction holding
     * blocks commits, nothing else says where this oracle began, and an instance killed inside its first
     * transaction would otherwise be followed by one starting at the topic's end by then, skipping the
     * blocks in between.
     */
    private long resume(KafkaConsumer<String, Block> consumer, KafkaProducer<String, AccountBalance> producer) {
        TopicPartition partition = new TopicPartition(parts.topics().blocks().name(), 0);
        consumer.assign(List.of(partition));
        OffsetAndMetadata committed = consumer.committed(Set.of(partition), Duration.ofSeconds(30)).get(partition);
        if (committed != null) {
            consumer.seek(partition, committed.offset());
            return committed.offset();
        }
        long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        consumer.seek(partition, end);
        producer.beginTransaction();
        producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(end)), consumer.groupMetadata());
        producer.commitTransaction();
        log.info("{}: first start: following {} from its end (offset {}); an address watched from an earlier "
                + "block gets its balance at the first block read", parts.name(), partition, end);
        return end;
    }

    @Override
    public void close() {
        parts.reader().close();
    }
}
