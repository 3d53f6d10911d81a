package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.rpc.Backoff;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NewHeadsSignal;
import io.pessimism.oracle.rpc.NodeException;
import io.pessimism.oracle.rpc.Prefetcher;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import io.pessimism.topic.Topic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of one GethBlock oracle: fetch ahead in batches, check every block's parent hash, write
 * blocks in height order in transactions, resolve reorgs, back off on failures. Unbounded it is the
 * seed's ReadRoutine (catch up, then follow the head); with an end height it is the BackTestRoutine.
 *
 * <p>Position lives only in the topic: a session (producer + window) is opened by fencing older
 * instances and reading the topic's tail back, and after any Kafka failure the session is thrown
 * away and opened again. A node failure aborts the open transaction and retries the same heights.
 */
final class GethBlockRoutine implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(GethBlockRoutine.class);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final OracleSettings settings;
    private final NodeClient node;
    private final Topic<String, Block> topic;
    private final Serde<Block> serde;
    private final Prefetcher<EncodedBlock> prefetcher;
    private final Backoff backoff;
    private final AtomicReference<OracleStatus> status;
    private final CountDownLatch stop = new CountDownLatch(1);
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
    /** Polling only until run() subscribes: connecting is I/O and belongs to the routine's thread. */
    private volatile NewHeadsSignal newHeads = NewHeadsSignal.pollingOnly();

    private BlockWriter writer;
    private ChainWindow window;

    GethBlockRoutine(OracleSettings settings, NodeClient node, Topic<String, Block> topic) {
        this.settings = settings;
        this.node = node;
        this.topic = topic;
        this.serde = topic.valueSerde();
        this.prefetcher = new Prefetcher<>(this::fetchEncoded, settings.batchSize(), settings.concurrency(),
                topic.name());
        this.backoff = new Backoff(settings.backoffInitial(), settings.backoffMax());
        this.status = new AtomicReference<>(OracleStatus.starting(settings.network().label(), topic.name()));
    }

    OracleStatus status() {
        return status.get();
    }

    StageTimes stageTimes() {
        return new StageTimes(Duration.ofNanos(fetchNanos.sum()), Duration.ofNanos(fetchCpuNanos.sum()),
                Duration.ofNanos(encodeNanos.sum()), Duration.ofNanos(encodeCpuNanos.sum()),
                Duration.ofNanos(headCheckNanos.sum()),
                Duration.ofNanos(waitNanos.sum()), Duration.ofNanos(sendNanos.sum()),
                Duration.ofNanos(commitNanos.sum()), Duration.ofNanos(writerCpuNanos.sum()));
    }

    void requestStop() {
        stop.countDown();
        newHeads.wake();
    }

    @Override
    public void run() {
        try {
            newHeads = NewHeadsSignal.connect(settings.wsUrl(), settings.backoffInitial(), settings.backoffMax());
            loop();
        } catch (RuntimeException e) {
            fail(e);
        } finally {
            closeSession();
            prefetcher.close();
            newHeads.close();
        }
    }

    private void loop() {
        while (stop.getCount() > 0) {
            try {
                if (writer == null) {
                    openSession();
                }
                if (step()) {
                    status.updateAndGet(s -> s.withState(OracleState.DONE));
                    LOG.info("{}: wrote every height up to {}", topic.name(), settings.endHeight());
                    return;
                }
            } catch (ReorgTooDeepException | BlockTooLargeException | AuthorizationException
                    | UnsupportedVersionException e) {
                fail(e);
                return;
            } catch (NodeException e) {
                status.updateAndGet(s -> s.withNodeError(e.getMessage()));
                LOG.warn("{}: node error, retrying the same heights: {}", topic.name(), e.getMessage());
                pause(backoff.next());
            } catch (KafkaException e) {
                if (causedBy(e, RecordTooLargeException.class)) {
                    // the broker refused a batch (its topic's limit is below the producer's): no retry helps
                    fail(writer == null ? e : writer.tooLarge("a block the broker refused is", e));
                    return;
                }
                if (fenced(e)) {
                    // another instance with our transactional id took over: stopping is what prevents split-brain
                    fail(new KafkaException("fenced by another instance with transactional id "
                            + BlockWriter.transactionalId(topic.name()) + "; this one stops: " + describe(e), e));
                    return;
                }
                status.updateAndGet(s -> s.withKafkaError(describe(e)));
                LOG.warn("{}: Kafka error, reopening the producer: {}", topic.name(), describe(e));
                closeSession();
                pause(backoff.next());
            }
        }
        status.updateAndGet(s -> s.withState(OracleState.STOPPED));
    }

    private void openSession() {
        status.updateAndGet(s -> s.withState(OracleState.STARTING));
        BlockTopic.ensure(settings.bootstrapServers(), topic, settings.replicationFactor());
        BlockWriter opened = new BlockWriter(settings, topic);
        try {
            opened.init();
            window = TopicTail.rebuild(settings.bootstrapServers(), topic.name(), serde.deserializer(),
                    settings.reorgWindow());
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        writer = opened;
        long committed = window.tip().map(Block::getNumber).orElse(-1L);
        status.updateAndGet(s -> s.withOracleHead(committed));
        prefetcher.restartAt(nextHeight());
        LOG.info("{}: resuming at height {} (last committed {}, {} blocks kept for reorgs)", topic.name(),
                nextHeight(), committed, window.size());
    }

    /** One look at the node and, when there is something to write, one transaction. True when done. */
    private boolean step() {
        long asking = System.nanoTime();
        long head = node.headNumber();
        headCheckNanos.add(System.nanoTime() - asking);
        status.updateAndGet(s -> s.withNodeHead(head));
        long target = head - settings.confirmations();
        if (settings.bounded()) {
            target = Math.min(target, settings.endHeight());
            if (window.tip().map(Block::getNumber).orElse(-1L) >= settings.endHeight()) {
                return true;
            }
        }
        boolean reorged = false;
        if (nextHeight() > target) {
            reorged = tipOrphaned(target);
            if (!reorged) {
                backoff.reset();
                status.updateAndGet(s -> s.withState(OracleState.LIVE));
                waitForHead();
                return false;
            }
        }
        long behind = target - nextHeight();
        status.updateAndGet(s -> s.withState(behind > settings.batchSize() ? OracleState.CATCHING_UP : OracleState.LIVE));
        writeTransaction(target, reorged);
        backoff.reset();
        return false;
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
                waitNanos.add(System.nanoTime() - waiting);
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
                    sendNanos.add(System.nanoTime() - sending);
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
            commitNanos.add(System.nanoTime() - committing);
            writerCpuNanos.add(Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuStarted));
        } catch (RuntimeException e) {
            window = before;
            prefetcher.restartAt(nextHeight());
            abortQuietly(e);
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

    private List<EncodedBlock> fetchEncoded(long from, long to) {
        long started = System.nanoTime();
        long cpuStarted = THREADS.getCurrentThreadCpuTime();
        List<Block> blocks = node.blocks(from, to);
        long fetched = System.nanoTime();
        long cpuFetched = THREADS.getCurrentThreadCpuTime();
        fetchNanos.add(fetched - started);
        fetchCpuNanos.add(Math.max(0, cpuFetched - cpuStarted)); // both -1 where unsupported: 0
        List<EncodedBlock> encoded = new ArrayList<>(blocks.size());
        for (Block block : blocks) {
            encoded.add(new EncodedBlock(block, serde.serializer().serialize(topic.name(), block)));
        }
        encodeNanos.add(System.nanoTime() - fetched);
        encodeCpuNanos.add(Math.max(0, THREADS.getCurrentThreadCpuTime() - cpuFetched));
        return encoded;
    }

    private void abortQuietly(RuntimeException cause) {
        if (cause instanceof KafkaException) {
            return; // the session is thrown away; initTransactions of the next one aborts
        }
        try {
            writer.abort();
        } catch (KafkaException e) {
            LOG.warn("{}: abort failed, reopening the producer: {}", topic.name(), describe(e));
            closeSession();
        }
    }

    private void closeSession() {
        if (writer != null) {
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.debug("{}: closing the producer: {}", topic.name(), e.toString());
            }
            writer = null;
        }
    }

    private void fail(RuntimeException e) {
        status.updateAndGet(s -> s.withFailure(describe(e)));
        LOG.error("{}: oracle stopped: {}", topic.name(), describe(e), e);
    }

    /** Until the node announces a head (WebSocket) or the poll interval passes. */
    private void waitForHead() {
        if (stop.getCount() == 0) {
            return;
        }
        try {
            newHeads.await(settings.pollInterval());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    private void pause(Duration duration) {
        try {
            stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.countDown();
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static boolean fenced(Throwable e) {
        return causedBy(e, ProducerFencedException.class) || causedBy(e, InvalidProducerEpochException.class);
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
