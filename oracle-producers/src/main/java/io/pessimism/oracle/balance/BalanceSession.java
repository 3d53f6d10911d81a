package io.pessimism.oracle.balance;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleSession;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.rpc.NodeException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session of the AccountBalance oracle: a consume-transform-produce loop over the block topic.
 * Each step takes the next blocks the interest horizon covers, reads every watched balance at each
 * block's hash, and writes the records the {@link BalanceLedger} decides on, together with the
 * block topic offset after the last block taken, in one transaction. A retracted block retracts the
 * records it had; the next canonical block is compared with the balances that stand again.
 *
 * <p>Balances are read before the transaction begins, so a node failure leaves the session as it
 * was (nothing written, the same blocks next step). While a step waits for its balances, writes and
 * commits, the next blocks' balances are already being read (queued behind its own), so the node is
 * not idle during Kafka's part; the next step uses them when it takes the same blocks with the same
 * watched addresses, else reads again. A block whose balances the node cannot give
 * (it no longer knows the hash) is retried; when its retraction is among the blocks taken, the pair
 * is passed over, since nothing was emitted for it.
 */
final class BalanceSession implements OracleSession {

    private static final Logger log = LoggerFactory.getLogger(BalanceSession.class);
    /** How long a block may wait for the interest horizon before the log says so (again). */
    private static final Duration HORIZON_WARNING = Duration.ofSeconds(30);
    /** How often the node's head is asked, for the status only. */
    private static final Duration HEAD_INTERVAL = Duration.ofSeconds(1);

    private final BalanceOracleParts parts;
    private final KafkaProducer<String, AccountBalance> producer;
    private final KafkaConsumer<String, Block> blocks;
    private final TopicPartition blockPartition;
    private final InterestFeed interests;
    private final BalanceLedger ledger;
    private final Deque<ConsumerRecord<String, Block>> pending = new ArrayDeque<>();
    private final AtomicReference<OracleStatus> status;
    /** What the session opened, its clients and their meters: closed with it, in reverse order. */
    private final List<AutoCloseable> opened;
    /** The reads started for the blocks after those of the last step, while it wrote; null when none. */
    private Reads ahead;
    private long lastHeadCheck;
    private long waitingSince;
    private long lastWarning;

    BalanceSession(BalanceOracleParts parts, KafkaProducer<String, AccountBalance> producer,
            KafkaConsumer<String, Block> blocks, InterestFeed interests, BalanceLedger ledger,
            List<AutoCloseable> opened) {
        this.parts = parts;
        this.producer = producer;
        this.blocks = blocks;
        this.blockPartition = new TopicPartition(parts.topics().blocks().name(), 0);
        this.interests = interests;
        this.ledger = ledger;
        this.status = parts.status();
        this.opened = List.copyOf(opened);
    }

    /** A block taken into this step, with the addresses watched at it (none for a retraction or a passed-over block). */
    private record Taken(ConsumerRecord<String, Block> record, NavigableMap<String, Long> watched) {
        Block block() {
            return record.value();
        }
    }

    @Override
    public boolean step() {
        long started = System.nanoTime();
        interests.poll(Duration.ZERO);
        fill();
        if (pending.isEmpty()) {
            parts.time(BalanceStageTimes.polled(System.nanoTime() - started));
            status.updateAndGet(s -> s.withState(OracleState.LIVE));
            checkHead();
            return false;
        }
        List<Taken> taken = take(0, true);
        if (taken.isEmpty()) {
            parts.time(BalanceStageTimes.polled(System.nanoTime() - started));
            return false; // waiting for the interest horizon
        }
        Reads current = claimAhead(taken);
        // the next blocks' reads queue behind these: the node stays busy while this step writes and commits
        List<Taken> next = take(current.taken().size(), false);
        ahead = next.isEmpty() ? null : startReads(next);
        long taking = System.nanoTime();
        Map<Integer, Map<String, BigInteger>> balances = new HashMap<>();
        List<Taken> writable;
        try {
            writable = awaitReads(current, balances);
        } catch (RuntimeException e) {
            dropAhead();
            throw e;
        }
        if (writable.size() < current.taken().size()) {
            dropAhead(); // read for blocks after ones not written yet
        }
        long reading = System.nanoTime();
        long writing = write(writable, balances);
        long committing = System.nanoTime();
        long read = balances.values().stream().mapToLong(Map::size).sum();
        parts.time(new BalanceStageTimes(Duration.ZERO, Duration.ofNanos(taking - started),
                Duration.ofNanos(reading - taking), Duration.ofNanos(writing - reading),
                Duration.ofNanos(committing - writing), 1, writable.size(), read));
        for (int i = 0; i < writable.size(); i++) {
            pending.removeFirst();
        }
        Block last = writable.get(writable.size() - 1).block();
        // a retraction walks the chain back: the head is below the retracted block
        long head = last.getRemoved() ? last.getNumber() - 1 : last.getNumber();
        status.updateAndGet(s -> s.withOracleHead(head)
                .withState(pending.isEmpty() ? OracleState.LIVE : OracleState.CATCHING_UP));
        checkHead();
        return false;
    }

    /** Polls blocks while fewer than a poll's worth wait; waits a poll interval only when none wait. */
    private void fill() {
        if (pending.size() >= parts.maxPending()) {
            return;
        }
        Duration wait = pending.isEmpty() ? parts.settings().pollInterval() : Duration.ZERO;
        for (ConsumerRecord<String, Block> record : blocks.poll(wait)) {
            if (record.value() == null) {
                throw new BalanceOracleFailure(blockPartition + "@" + record.offset() + " (key " + record.key()
                        + ") has no value; the block topic holds only blocks");
            }
            pending.addLast(record);
        }
    }

    /**
     * The pending blocks a step takes, in order, after the first {@code skip}: up to the first one above
     * the interest horizon (a retraction needs no interests and is always taken), within the
     * transaction's bounds. A block whose retraction is among them is passed over: nothing was emitted
     * for it.
     *
     * @param now true for the blocks this step writes: a block above the horizon waits a poll interval
     *            for it (and is logged when it waits long); false for a read ahead, which does not wait
     */
    private List<Taken> take(int skip, boolean now) {
        Set<String> retracted = new HashSet<>();
        for (ConsumerRecord<String, Block> record : pending) {
            if (record.value().getRemoved()) {
                retracted.add(record.value().getHash());
            }
        }
        List<Taken> taken = new ArrayList<>();
        long reads = 0;
        int skipped = 0;
        for (ConsumerRecord<String, Block> record : pending) {
            if (skipped < skip) {
                skipped++;
                continue;
            }
            Block block = record.value();
            if (block.getRemoved() || retracted.contains(block.getHash())) {
                taken.add(new Taken(record, Collections.emptyNavigableMap()));
            } else {
                if (block.getNumber() > interests.horizon()) {
                    if (!now) {
                        break;
                    }
                    interests.poll(parts.settings().pollInterval());
                    if (block.getNumber() > interests.horizon()) {
                        warnWaiting(block);
                        break;
                    }
                }
                NavigableMap<String, Long> watched = interests.watch().at(block.getNumber());
                reads += watched.size();
                taken.add(new Taken(record, watched));
            }
            if (taken.size() >= parts.settings().maxBlocksPerTransaction() || reads >= parts.maxReadsPerTransaction()) {
                break;
            }
        }
        if (now && !taken.isEmpty()) {
            waitingSince = 0;
        }
        return taken;
    }

    /** The balance reads started for some blocks taken (a retraction's or passed-over block's: none). */
    private record Reads(List<Taken> taken, List<Integer> readIndex, BalanceReader.Started started) {
    }

    private Reads startReads(List<Taken> taken) {
        List<BalanceReader.Read> reads = new ArrayList<>();
        List<Integer> readIndex = new ArrayList<>();
        for (int i = 0; i < taken.size(); i++) {
            Taken t = taken.get(i);
            if (!t.watched().isEmpty()) {
                reads.add(new BalanceReader.Read(t.block().getHash(), t.block().getNumber(),
                        List.copyOf(t.watched().keySet())));
                readIndex.add(i);
            }
        }
        return new Reads(taken, readIndex, parts.reader().start(reads));
    }

    /**
     * The reads for the blocks this step takes: those the last step started ahead when they were for
     * the first of these blocks with the same watched addresses (this step then writes just those
     * blocks), else new ones. An interest withdrawn, a retraction arrived or a node failure since makes
     * the reads ahead useless: they are given up.
     */
    private Reads claimAhead(List<Taken> taken) {
        Reads claimed = ahead;
        ahead = null;
        if (claimed != null) {
            List<Taken> read = claimed.taken();
            boolean same = read.size() <= taken.size();
            for (int i = 0; same && i < read.size(); i++) {
                same = read.get(i).record().offset() == taken.get(i).record().offset()
                        && read.get(i).watched().equals(taken.get(i).watched());
            }
            if (same) {
                return claimed;
            }
            claimed.started().cancel();
        }
        return startReads(taken);
    }

    private void dropAhead() {
        if (ahead != null) {
            ahead.started().cancel();
            ahead = null;
        }
    }

    /**
     * Waits for the watched balances of the blocks read into {@code balances} (by index in their
     * {@code taken}); returns the blocks that can be written: all, or those before the first the node
     * failed on.
     *
     * @throws NodeException when the node fails on the first block read
     */
    private List<Taken> awaitReads(Reads reads, Map<Integer, Map<String, BigInteger>> balances) {
        List<Taken> taken = reads.taken();
        List<Integer> readIndex = reads.readIndex();
        BalanceReader.Balances result = reads.started().await();
        for (int k = 0; k < result.byRead().size(); k++) {
            balances.put(readIndex.get(k), result.byRead().get(k));
        }
        if (result.failure().isEmpty()) {
            return taken;
        }
        int failedAt = readIndex.get(result.byRead().size());
        if (failedAt == 0) {
            throw result.failure().get();
        }
        log.info("{}: balances at block {} not read yet ({}); writing the {} blocks before it first", parts.name(),
                taken.get(failedAt).block().getNumber(), result.failure().get().getMessage(), failedAt);
        return taken.subList(0, failedAt);
    }

    /**
     * One transaction: each block's records or retractions, then the block topic offset after the last.
     *
     * @return when the records were handed to the producer and the commit began ({@link System#nanoTime})
     */
    private long write(List<Taken> writable, Map<Integer, Map<String, BigInteger>> balances) {
        String network = parts.settings().network().label();
        producer.beginTransaction();
        for (int i = 0; i < writable.size(); i++) {
            Block block = writable.get(i).block();
            if (block.getRemoved()) {
                send(block, ledger.retract(block.getHash()));
            } else if (!writable.get(i).watched().isEmpty()) {
                send(block, ledger.apply(network, block.getNumber(), block.getHash(), writable.get(i).watched(),
                        balances.get(i)));
            }
        }
        progress(network, writable);
        long committing = System.nanoTime();
        long next = writable.get(writable.size() - 1).record().offset() + 1;
        producer.sendOffsetsToTransaction(Map.of(blockPartition, new OffsetAndMetadata(next)), blocks.groupMetadata());
        producer.commitTransaction();
        return committing;
    }

    /**
     * Ends the transaction with a progress mark at its last canonical block: readers learn the
     * oracle has read through it even when no watched balance changed (a backtest's range end
     * waits for its source to pass a height).
     */
    private void progress(String network, List<Taken> writable) {
        for (int i = writable.size() - 1; i >= 0; i--) {
            Block block = writable.get(i).block();
            if (!block.getRemoved()) {
                send(block, List.of(AccountBalance.newBuilder().setNetwork(network).setAddress("")
                        .setBlockNumber(block.getNumber()).setBlockHash(block.getHash()).setBalance("")
                        .setProgress(true).build()));
                return;
            }
        }
    }

    private void send(Block block, List<AccountBalance> records) {
        String key = Long.toString(block.getNumber());
        String topic = parts.topics().output().name();
        for (AccountBalance record : records) {
            producer.send(new ProducerRecord<>(topic, 0, System.currentTimeMillis(), key, record));
        }
    }

    private void checkHead() {
        long now = System.nanoTime();
        if (now - lastHeadCheck < HEAD_INTERVAL.toNanos()) {
            return;
        }
        lastHeadCheck = now;
        long head = parts.node().headNumber();
        status.updateAndGet(s -> s.withNodeHead(head));
    }

    private void warnWaiting(Block block) {
        long now = System.nanoTime();
        if (waitingSince == 0) {
            waitingSince = now;
            return;
        }
        if (now - waitingSince > HORIZON_WARNING.toNanos() && now - lastWarning > HORIZON_WARNING.toNanos()) {
            lastWarning = now;
            log.warn("{}: block {} has waited {} s for the interest horizon of {} (at {}): is the control plane "
                    + "running? It confirms on <ns>.state which interests are effective up to which block",
                    parts.name(), block.getNumber(), Duration.ofNanos(now - waitingSince).toSeconds(),
                    parts.settings().network().label(), interests.horizon());
        }
    }

    @Override
    public void wake() {
        blocks.wakeup();
        interests.wakeup();
    }

    @Override
    public void close() {
        dropAhead();
        for (int i = opened.size() - 1; i >= 0; i--) {
            closeQuietly(opened.get(i), Duration.ofSeconds(5));
        }
    }

    private void closeQuietly(AutoCloseable closeable, Duration timeout) {
        try {
            if (closeable instanceof KafkaProducer<?, ?> p) {
                p.close(timeout);
            } else if (closeable instanceof KafkaConsumer<?, ?> c) {
                c.close(timeout);
            } else {
                closeable.close();
            }
        } catch (Exception e) {
            log.debug("{}: closing {}: {}", parts.name(), closeable, e.toString());
        }
    }
}
