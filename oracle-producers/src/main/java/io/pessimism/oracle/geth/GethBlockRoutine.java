package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.FailureKind;
import io.pessimism.oracle.OracleMeters;
import io.pessimism.oracle.OracleSession;
import io.pessimism.oracle.OracleSessions;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.OracleTopic;
import io.pessimism.oracle.TopicTail;
import io.pessimism.oracle.rpc.NewHeadsSignal;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.Prefetcher;
import io.pessimism.registry.Registers;
import io.pessimism.topic.Topic;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work of one GethBlock oracle on the shared {@link io.pessimism.oracle.OracleRunner}: fetch ahead
 * in batches, check every block's parent hash, write blocks in height order in transactions, resolve
 * reorgs. Unbounded it is the seed's ReadRoutine (catch up, then follow the head); with an end height
 * it is the BackTestRoutine.
 *
 * <p>Position lives only in the topic: a session (producer + window) is opened by fencing older
 * instances and reading the topic's tail back. The fetch threads, the newHeads subscription and the
 * stage times outlive sessions; the runner throws a session away after a Kafka failure, and steps the
 * same one again after a node failure (its transaction aborted, the window as before).
 */
final class GethBlockRoutine implements OracleSessions {

    private static final Logger LOG = LoggerFactory.getLogger(GethBlockRoutine.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final OracleSettings settings;
    private final NodeClient node;
    private final Topic<String, Block> topic;
    private final Serde<Block> serde;
    private final Prefetcher<EncodedBlock> prefetcher;
    private final AtomicReference<OracleStatus> status;
    // stage times in nanoseconds (see StageTimes); fetch and encode are added from the fetch threads
    private final LongAdder fetchNanos = new LongAdder();
    private final LongAdder fetchCpuNanos = new LongAdder();
    private final LongAdder encodeNanos = new LongAdder();
    private final LongAdder encodeCpuNanos = new LongAdder();
    private final LongAdder headCheckNanos = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAdder sendNanos = new LongAdder();
    private final LongAdder commitNanos = new LongAdder();
    private final LongAdder writerCpuNanos = new LongAdder();
    private final OracleMeters meters;
    /** Subscribed by the first {@link #open}: connecting is I/O and belongs to the runner's thread. */
    private NewHeadsSignal newHeads;

    GethBlockRoutine(OracleSettings settings, NodeClient node, Topic<String, Block> topic,
            AtomicReference<OracleStatus> status) {
        this.settings = settings;
        this.node = node;
        this.topic = topic;
        this.serde = topic.valueSerde();
        this.prefetcher = new Prefetcher<>(this::fetchEncoded, settings.batchSize(), settings.concurrency(),
                topic.name());
        this.status = status;
        this.meters = new OracleMeters(settings.network().label(), Registers.GETH_BLOCK.name(), StageTimes.STAGES);
    }

    /** Adds to a stage's total (the benchmark's and the status's) and records the step in its timer. */
    private void time(LongAdder total, String stage, long nanos) {
        total.add(nanos);
        meters.record(stage, nanos);
    }

    StageTimes stageTimes() {
        return new StageTimes(Duration.ofNanos(fetchNanos.sum()), Duration.ofNanos(fetchCpuNanos.sum()),
                Duration.ofNanos(encodeNanos.sum()), Duration.ofNanos(encodeCpuNanos.sum()),
                Duration.ofNanos(headCheckNanos.sum()),
                Duration.ofNanos(waitNanos.sum()), Duration.ofNanos(sendNanos.sum()),
                Duration.ofNanos(commitNanos.sum()), Duration.ofNanos(writerCpuNanos.sum()));
    }

    @Override
    public OracleSession open() {
        if (newHeads == null) {
            newHeads = NewHeadsSignal.connect(settings.wsUrl(), settings.backoffInitial(), settings.backoffMax());
        }
        OracleTopic.ensure(settings.kafka(), topic, settings.replicationFactor());
        BlockWriter writer = new BlockWriter(settings, topic, meters);
        ChainWindow window;
        try {
            writer.init();
            int capacity = settings.reorgWindow();
            window = TopicTail.read(settings.kafka(), topic.name(), serde.deserializer(),
                    Math.max(2L * capacity, 16), () -> new ChainWindow(capacity));
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        Session session = new Session(writer, window, newHeads);
        long committed = window.tip().map(Block::getNumber).orElse(-1L);
        status.updateAndGet(s -> s.withOracleHead(committed));
        prefetcher.restartAt(session.nextHeight());
        LOG.info("{}: resuming at height {} (last committed {}, {} blocks kept for reorgs)", topic.name(),
                session.nextHeight(), committed, window.size());
        return session;
    }

    @Override
    public void close() {
        prefetcher.close();
        if (newHeads != null) {
            newHeads.close();
        }
    }

    private List<EncodedBlock> fetchEncoded(long from, long to) {
        long started = System.nanoTime();
        long cpuStarted = THREADS.getCurrentThreadCpuTime();
        List<Block> blocks = node.blocks(from, to);
        long fetched = System.nanoTime();
        long cpuFetched = THREADS.getCurrentThreadCpuTime();
        time(fetchNanos, "fetch", fetched - started);
        time(fetchCpuNanos, "fetch_cpu", Math.max(0, cpuFetched - cpuStarted)); // both -1 where unsupported: 0
        List<EncodedBlock> encoded = new ArrayList<>(blocks.size());
        for (Block block : blocks) {
            encoded.add(new EncodedBlock(block, serde.serializer().serialize(topic.name(), block)));
        }
        time(encodeNanos, "encode", System.nanoTime() - fetched);
        time(encodeCpuNanos, "encode_cpu", Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuFetched));
        return encoded;
    }

    /** One producer and the window of the last blocks it committed. */
    private final class Session implements OracleSession {

        private final BlockWriter writer;
        private final NewHeadsSignal heads;
        private ChainWindow window;

        Session(BlockWriter writer, ChainWindow window, NewHeadsSignal heads) {
            this.writer = writer;
            this.window = window;
            this.heads = heads;
        }

        /** One look at the node and, when there is something to write, one transaction. True when done. */
        @Override
        public boolean step() {
            long asking = System.nanoTime();
            long head = node.headNumber();
            time(headCheckNanos, "head_check", System.nanoTime() - asking);
            status.updateAndGet(s -> s.withNodeHead(head));
            long target = head - settings.confirmations();
            if (settings.bounded()) {
                target = Math.min(target, settings.endHeight());
                if (window.tip().map(Block::getNumber).orElse(-1L) >= settings.endHeight()) {
                    LOG.info("{}: wrote every height up to {}", topic.name(), settings.endHeight());
                    return true;
                }
            }
            boolean reorged = false;
            if (nextHeight() > target) {
                reorged = tipOrphaned(target);
                if (!reorged) {
                    status.updateAndGet(s -> s.withState(OracleState.LIVE));
                    waitForHead();
                    return false;
                }
            }
            long behind = target - nextHeight();
            status.updateAndGet(s -> s.withState(behind > settings.batchSize() ? OracleState.CATCHING_UP
                    : OracleState.LIVE));
            writeTransaction(target, reorged);
            return false;
        }

        @Override
        public void wake() {
            heads.wake();
        }

        @Override
        public void close() {
            writer.close();
        }

        /** True when the node's block at the oracle's tip height is not the one the oracle emitted. */
        private boolean tipOrphaned(long target) {
            Optional<Block> tip = window.tip();
            if (tip.isEmpty() || tip.get().getNumber() > target) {
                return false;
            }
            String nodeHash = node.headers(tip.get().getNumber(), tip.get().getNumber()).get(0).hash();
            return !nodeHash.equals(tip.get().getHash());
        }

        /**
         * Writes blocks up to {@code target} in one transaction, committed after
         * {@code maxBlocksPerTransaction} blocks or {@code maxTransactionTime}, or when nothing is left.
         * A reorg found on the way is resolved inside the same transaction: retractions, then the new
         * canonical blocks at least up to the old tip.
         */
        private void writeTransaction(long target, boolean reorgFirst) {
            if (prefetcher.nextHeight() != nextHeight()) {
                prefetcher.restartAt(nextHeight());
            }
            ChainWindow before = window.copy();
            long cpuStarted = THREADS.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            int written = 0;
            long mustReach = -1;
            BlockTooLargeException refused = null;
            writer.begin();
            try {
                if (reorgFirst) {
                    mustReach = retractOrphans(target);
                }
                while (true) {
                    long waiting = System.nanoTime();
                    Optional<List<EncodedBlock>> chunk = prefetcher.next(target);
                    time(waitNanos, "wait_for_blocks", System.nanoTime() - waiting);
                    if (chunk.isEmpty()) {
                        break;
                    }
                    for (EncodedBlock encoded : chunk.get()) {
                        if (!window.extendedBy(encoded.block())) {
                            mustReach = Math.max(mustReach, retractOrphans(target));
                            break;
                        }
                        long sending = System.nanoTime();
                        try {
                            writer.send(encoded.block(), encoded.value());
                        } catch (BlockTooLargeException e) {
                            if (nextHeight() <= mustReach) {
                                throw e; // retractions are only written with their replacements
                            }
                            refused = e; // the blocks before it are committed, then the oracle stops
                            break;
                        }
                        time(sendNanos, "send", System.nanoTime() - sending);
                        window.append(encoded.block());
                        written++;
                    }
                    if (refused != null) {
                        break;
                    }
                    boolean full = written >= settings.maxBlocksPerTransaction()
                            || System.nanoTime() - started >= settings.maxTransactionTime().toNanos();
                    if (full && nextHeight() > mustReach) {
                        break;
                    }
                }
                long committing = System.nanoTime();
                writer.commit();
                time(commitNanos, "commit", System.nanoTime() - committing);
                time(writerCpuNanos, "writer_cpu", Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuStarted));
            } catch (RuntimeException e) {
                window = before;
                prefetcher.restartAt(nextHeight());
                abortUnlessKafkaFailed(e);
                if (FailureKind.causedBy(e, RecordTooLargeException.class)) {
                    // the broker refused a batch (its topic's limit is below the producer's): no retry helps
                    throw writer.tooLarge("a block the broker refused is", e);
                }
                throw e;
            }
            long committed = window.tip().map(Block::getNumber).orElse(-1L);
            status.updateAndGet(s -> s.withOracleHead(committed));
            if (refused != null) {
                throw refused;
            }
        }

        /**
         * Finds the common ancestor, writes a retraction for every emitted block above it (newest first)
         * and restarts fetching above it.
         *
         * @return the height the new canonical blocks must reach before the transaction may commit
         */
        private long retractOrphans(long target) {
            long oldTip = window.tip().orElseThrow().getNumber();
            long ancestor = AncestorSearch.commonAncestor(window, node);
            List<Block> orphaned = window.removeAbove(ancestor);
            List<Long> heights = new ArrayList<>(orphaned.size());
            for (Block block : orphaned) {
                Block retraction = Block.newBuilder(block).setRemoved(true).build();
                writer.send(retraction, writer.encode(retraction));
                heights.add(block.getNumber());
            }
            status.updateAndGet(OracleStatus::withReorg);
            LOG.warn("{}: reorg of depth {} above block {}: retracted {}", topic.name(), orphaned.size(), ancestor,
                    heights);
            prefetcher.restartAt(ancestor + 1);
            return Math.min(oldTip, target);
        }

        private long nextHeight() {
            return window.tip().map(b -> b.getNumber() + 1).orElse(settings.startHeight());
        }

        /**
         * Aborts the failed transaction so the runner can step this session again; after a Kafka
         * failure the runner throws the session away instead and the next one's initTransactions aborts.
         * An abort that fails ends the session too: its failure is thrown, the step's attached.
         */
        private void abortUnlessKafkaFailed(RuntimeException cause) {
            if (cause instanceof KafkaException) {
                return;
            }
            try {
                writer.abort();
            } catch (KafkaException e) {
                e.addSuppressed(cause);
                throw e;
            }
        }

        /** Until the node announces a head (WebSocket) or the poll interval passes, or a stop wakes it. */
        private void waitForHead() {
            try {
                heads.await(settings.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the runner sees it and stops
            }
        }
    }
}
