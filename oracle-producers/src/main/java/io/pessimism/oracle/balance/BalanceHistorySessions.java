package io.pessimism.oracle.balance;

import io.pessimism.avro.AccountBalance;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.oracle.OracleSession;
import io.pessimism.oracle.OracleSessions;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.OracleTopic;
import io.pessimism.oracle.TopicTail;
import io.pessimism.oracle.rpc.BlockHeader;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.topic.TopicAdmin;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of the AccountBalance BackTestRoutine ({@link AccountBalanceBackTest}): blocks
 * {@code [startHeight, endHeight]} read from the node by number, not driven by the block topic (which
 * may not hold them). A session fences older writers of its topic ({@code initTransactions}), reads the
 * topic back whole into a {@link BalanceLedger} and the last block written (progress marks included),
 * and reads the address state to its end; each step reads the balances of up to {@code batchSize}
 * blocks at their hashes ({@link BalanceReader}) and writes their records and a progress mark at the
 * last block in one transaction. A node failure happens before the transaction and leaves the session
 * as it was; a Kafka failure ends it, and the next one reads the ledger back from what was committed.
 */
final class BalanceHistorySessions implements OracleSessions {

    private static final Logger log = LoggerFactory.getLogger(BalanceHistorySessions.class);

    private final OracleSettings settings;
    private final BalanceTopics topics;
    private final NodeClient node;
    private final BalanceReader reader;
    private final AtomicReference<OracleStatus> status;
    private final Supplier<WatchList> watchLists;

    /**
     * @param settings   bounded to the range; only blocks {@code confirmations} deep are read
     * @param topics     the address state read, and the output written
     * @param watchLists a fresh, empty watch list for each session, which reads the whole state again
     */
    BalanceHistorySessions(OracleSettings settings, BalanceTopics topics, NodeClient node, BalanceReader reader,
            AtomicReference<OracleStatus> status, Supplier<WatchList> watchLists) {
        if (!settings.bounded()) {
            throw new IllegalArgumentException("a balance history reads a bounded range; settings of "
                    + topics.output().name() + " have no end");
        }
        this.settings = settings;
        this.topics = topics;
        this.node = node;
        this.reader = reader;
        this.status = status;
        this.watchLists = watchLists;
    }

    @Override
    public OracleSession open() {
        String name = topics.output().name();
        OracleTopic.ensure(settings.kafka(), topics.output(), settings.replicationFactor());
        TopicAdmin.ensure(settings.kafka(), settings.replicationFactor(), topics.state());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            KafkaProducer<String, AccountBalance> producer = new KafkaProducer<>(
                    OracleProducers.config(settings, name, BalanceSessions.TUNING),
                    topics.output().keySerde().serializer(), topics.output().valueSerde().serializer());
            opened.add(producer);
            producer.initTransactions();
            Written written = TopicTail.read(settings.kafka(), name, topics.output().valueSerde().deserializer(),
                    Long.MAX_VALUE / 4, () -> new Written(settings.reorgWindow()));
            InterestFeed interests = new InterestFeed(settings.kafka(), topics.state(), watchLists.get(), name);
            opened.add(interests);
            interests.catchUp();
            status.updateAndGet(s -> s.withOracleHead(written.last));
            log.info("{}: balance history of blocks {}..{}, resuming after block {} with {} addresses' last "
                    + "balances; {} interests", name, settings.startHeight(), settings.endHeight(), written.last,
                    written.ledger.size(), interests.watch().interests());
            return new Session(producer, interests, written);
        } catch (RuntimeException e) {
            throw BalanceSessions.closeAll(opened, e);
        }
    }

    @Override
    public void close() {
        reader.close();
    }

    /** What the topic holds, read back: the ledger of the balances written, and the last block written. */
    private static final class Written implements TopicTail.Replay<AccountBalance> {
        private final BalanceLedger ledger;
        private long last = -1;

        Written(int window) {
            this.ledger = new BalanceLedger(window);
        }

        @Override
        public void replay(AccountBalance record) {
            ledger.replay(record);
            last = Math.max(last, record.getBlockNumber());
        }

        @Override
        public boolean full() {
            return false; // the whole topic decides the ledger
        }
    }

    private final class Session implements OracleSession {
        private final KafkaProducer<String, AccountBalance> producer;
        private final InterestFeed interests;
        private final Written written;
        private final Semaphore woken = new Semaphore(0);

        Session(KafkaProducer<String, AccountBalance> producer, InterestFeed interests, Written written) {
            this.producer = producer;
            this.interests = interests;
            this.written = written;
        }

        @Override
        public boolean step() {
            long next = Math.max(settings.startHeight(), written.last + 1);
            if (next > settings.endHeight()) {
                return true;
            }
            long head = node.headNumber();
            status.updateAndGet(s -> s.withNodeHead(head));
            long target = Math.min(settings.endHeight(), head - settings.confirmations());
            if (next > target) {
                status.updateAndGet(s -> s.withState(OracleState.LIVE));
                waitForHead();
                return false;
            }
            status.updateAndGet(s -> s.withState(OracleState.CATCHING_UP));
            long to = Math.min(target, next + settings.batchSize() - 1);
            interests.poll(Duration.ZERO); // interests added since: those effective in the range count
            List<BlockHeader> blocks = node.headers(next, to);
            List<NavigableMap<String, Long>> watched = new ArrayList<>(blocks.size());
            List<BalanceReader.Read> reads = new ArrayList<>();
            for (BlockHeader block : blocks) {
                NavigableMap<String, Long> at = interests.watch().at(block.number());
                watched.add(at);
                if (!at.isEmpty()) {
                    reads.add(new BalanceReader.Read(block.hash(), block.number(), List.copyOf(at.keySet())));
                }
            }
            BalanceReader.Balances balances = reader.read(reads);
            balances.failure().ifPresent(e -> {
                throw e;
            });
            write(blocks, watched, balances.byRead());
            written.last = to;
            status.updateAndGet(s -> s.withOracleHead(to));
            return to >= settings.endHeight();
        }

        /** One transaction: each block's records, then a progress mark at the last block. */
        private void write(List<BlockHeader> blocks, List<NavigableMap<String, Long>> watched,
                List<Map<String, BigInteger>> balances) {
            String network = settings.network().label();
            producer.beginTransaction();
            try {
                int read = 0;
                for (int i = 0; i < blocks.size(); i++) {
                    BlockHeader block = blocks.get(i);
                    if (!watched.get(i).isEmpty()) {
                        send(block, written.ledger.apply(network, block.number(), block.hash(), watched.get(i),
                                balances.get(read++)));
                    }
                }
                BlockHeader last = blocks.get(blocks.size() - 1);
                send(last, List.of(AccountBalance.newBuilder().setNetwork(network).setAddress("")
                        .setBlockNumber(last.number()).setBlockHash(last.hash()).setBalance("").setProgress(true)
                        .build()));
                producer.commitTransaction();
            } catch (KafkaException e) {
                throw e; // the runner throws this session away; the next one reads the ledger back
            } catch (RuntimeException e) {
                producer.abortTransaction();
                throw e;
            }
        }

        private void send(BlockHeader block, List<AccountBalance> records) {
            String key = Long.toString(block.number());
            for (AccountBalance record : records) {
                producer.send(new ProducerRecord<>(topics.output().name(), 0, System.currentTimeMillis(), key,
                        record));
            }
        }

        /** Until the poll interval passes, or a stop wakes it. */
        private void waitForHead() {
            try {
                woken.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the runner sees it and stops
            }
        }

        @Override
        public void wake() {
            woken.release();
        }

        @Override
        public void close() {
            interests.close();
            producer.close(Duration.ofSeconds(5));
        }
    }
}
