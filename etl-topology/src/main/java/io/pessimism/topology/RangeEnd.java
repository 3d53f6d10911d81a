package io.pessimism.topology;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.BacktestEnd;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.MergedInto;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.interest.MergeFence;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last node of a backtest, or of a live pipeline being merged, before {@code <prefix>.out}.
 * A backtest lets out exactly the canonical chain of {@code [startHeight, endHeight]}, then the end
 * marker and the pipeline's DONE status, in one transaction (DESIGN.md §6). A mergeable live
 * pipeline (a backfill with a branch of its own) lets its records through as they come, until the
 * control plane sets its {@link MergeFence} F on {@code <ns>.state}: its fence height H is then
 * F - 1 (for an addressable register, whose records wait for the interest horizon and so come
 * after the fence; its owners' interests move to the shared pipeline from F), or the last block
 * it emitted if that is higher (a register for every owner, where the shared pipeline emits the
 * same records). It emits through H (retractions too), drops what comes after, and once H can no
 * longer be retracted writes the {@code mergedInto} marker (read on from H + 1) and its MERGED
 * status, so whoever follows the marker misses nothing and reads nothing twice.
 *
 * <p>The components' records are held, in arrival order, in the changelogged store
 * {@code range-end.buffer} until their block can no longer be retracted: the trigger source (told
 * by the {@link RangeGate}) has passed it by the network's {@link ReorgWindows reorg window}, and
 * no component holds that block back ({@link BranchCounters#oldestHeld}). A retraction of a held
 * block deletes that block's held records and is not emitted itself: an orphaned block leaves no
 * trace in a backtest. Once the source has passed the end by the window and everything up to the
 * end is out, the node writes a {@code backtestEnd} marker on {@code .out} and a DONE status on
 * {@code <ns>.pipeline-status}, and drops whatever comes after. A range that ends closer to the
 * head than the window waits for the chain to grow that far.
 *
 * <p>Both stores sit behind Kafka Streams' record cache ({@code statestore.cache.max.bytes}), which
 * the task flushes to RocksDB and the changelog before it commits its offsets, in the same
 * transaction: what is committed is exactly the state after the committed input, as without the
 * cache. A record held and released within one commit interval then costs one tombstone in the
 * changelog instead of its value and a tombstone, and the source's frontier, written for every
 * block, reaches the changelog once per commit. The held records are also kept in memory in key
 * order (read back from the store when the task starts), so a release or a retraction reads no
 * store: they are the records of the blocks not yet final, which the reorg window bounds.
 *
 * @param <V> the register's output type
 */
final class RangeEnd<V extends SpecificRecord> implements ProcessorSupplier<String, Object, String, Object> {

    /** How often a finished range whose last blocks a component still holds checks again. */
    static final Duration RETRY_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(RangeEnd.class);
    private static final String FRONTIER = "frontier";
    private static final String END_HASH = "end-hash";
    private static final String RECORDS = "records";
    private static final String DONE = "done";
    private static final String EMITTED = "emitted";
    private static final String FENCE_INTO = "fence-into";
    private static final String FENCE_TOPIC = "fence-topic";
    private static final String FENCE_FROM = "fence-from";

    private final BranchDefinition branch;
    private final Class<V> type;
    private final OutputRecords<V> outputs;
    private final EnvelopeTemplate envelopes;
    private final int window;
    private final Optional<String> interestStore;
    private final boolean exactFence;
    private final BranchCounters counters;
    private final String out;
    private final String status;
    private final StoreBuilder<KeyValueStore<String, V>> buffer;
    private final StoreBuilder<KeyValueStore<String, String>> position;
    /** A backtest holds records until final; a merged pipeline passes them on at once. */
    private final boolean holdUntilFinal;

    /**
     * @param window        the trigger network's reorg window: how far past a block the source must be before it is final
     * @param interestStore the global store of {@code <ns>.state}, where a mergeable branch finds its fence
     * @param exactFence    the branch's records wait for the interest horizon, so its fence is exactly F - 1
     * @param out           the sink of {@code <prefix>.out}
     * @param status        the sink of {@code <ns>.pipeline-status}
     */
    RangeEnd(BranchDefinition branch, Class<V> type, int window, Optional<String> interestStore, boolean exactFence,
            BranchCounters counters, String out, String status) {
        this.branch = branch;
        this.type = type;
        this.outputs = OutputRecords.of(type);
        this.envelopes = new EnvelopeTemplate(branch, branch.graph().downstream());
        this.window = window;
        this.interestStore = interestStore;
        this.exactFence = exactFence;
        if (branch.mergeable() && interestStore.isEmpty()) {
            throw new IllegalArgumentException("pipeline " + branch.puuid() + " is mergeable: it reads its fence "
                    + "from the interest store, which its topology lacks");
        }
        this.counters = counters;
        this.out = out;
        this.status = status;
        this.buffer = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeNames.RANGE_END + ".buffer"),
                Serdes.String(), Topics.storeSerde(type)).withCachingEnabled();
        this.holdUntilFinal = branch.backtest();
        this.position = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeNames.RANGE_END + ".position"),
                Serdes.String(), Serdes.String()).withCachingEnabled();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(buffer, position);
    }

    @Override
    public Processor<String, Object, String, Object> get() {
        return new End();
    }

    private final class End implements Processor<String, Object, String, Object> {
        private ProcessorContext<String, Object> context;
        private KeyValueStore<String, V> held;
        /** What {@link #held} holds, in the same key order: read without the store's (de)serialization and scans. */
        private final NavigableMap<String, V> holding = new TreeMap<>();
        private KeyValueStore<String, String> at;
        private long start;
        private long end;
        private long frontier;
        private long records;
        private long sequence;
        /**
         * Heights below this were released: each release scans from here, not from the store's start,
         * where RocksDB would step over the tombstone of every record released before (quadratic).
         */
        private long releasedBelow;
        private long emitted;
        private MergedInto fence;
        private ReadOnlyKeyValueStore<String, AddressInterest> interests;
        private boolean done;
        private Cancellable retrying;

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
            this.held = context.getStateStore(NodeNames.RANGE_END + ".buffer");
            this.at = context.getStateStore(NodeNames.RANGE_END + ".position");
            this.start = branch.startHeight();
            this.end = branch.lastHeight();
            this.releasedBelow = start;
            this.frontier = number(at.get(FRONTIER), -1);
            this.records = number(at.get(RECORDS), 0);
            this.done = Boolean.parseBoolean(at.get(DONE));
            this.emitted = number(at.get(EMITTED), -1);
            if (at.get(FENCE_INTO) != null) {
                fence = MergedInto.newBuilder().setPuuid(at.get(FENCE_INTO)).setTopic(at.get(FENCE_TOPIC))
                        .setFromHeight(Long.parseLong(at.get(FENCE_FROM))).build();
                end = fence.getFromHeight() - 1;
            }
            interestStore.ifPresent(name -> interests = context.getStateStore(name));
            try (KeyValueIterator<String, V> all = held.all()) {
                while (all.hasNext()) {
                    KeyValue<String, V> next = all.next();
                    holding.put(next.key, next.value);
                    sequence = Math.max(sequence, HeldRecord.sequence(next.key) + 1);
                }
            }
            if (done) {
                counters.rangeDone(); // a restarted branch whose range was done: it ends at once
            } else {
                finishIfDue();
            }
        }

        @Override
        public void process(Record<String, Object> record) {
            if (done) {
                return; // the end marker is the last record of the branch
            }
            lookForFence();
            if (record.value() instanceof RangeSignal signal) {
                advance(signal.cursor());
            } else {
                V output = type.cast(record.value());
                if (holdUntilFinal) {
                    hold(record.withValue(output));
                } else {
                    pass(record.withValue(output));
                }
            }
            release();
            finishIfDue();
        }

        private void advance(Cursor cursor) {
            if (!cursor.removed() && cursor.blockNumber() > frontier) {
                frontier = cursor.blockNumber();
                at.put(FRONTIER, Long.toString(frontier));
            }
            if (!holdUntilFinal && !cursor.removed()) {
                // a fence is set later, at a block already seen: the last window of hashes is kept
                at.put(hashSlot(cursor.blockNumber()), cursor.blockNumber() + ":" + cursor.blockHash());
            }
            if (cursor.blockNumber() == end) {
                // the canonical end block is the last one at that height not retracted
                if (cursor.removed()) {
                    at.delete(END_HASH);
                } else {
                    at.put(END_HASH, cursor.blockHash());
                }
            }
        }

        private void hold(Record<String, V> record) {
            Envelope envelope = outputs.envelope(record.value());
            if (!envelope.getRemoved() && envelope.getBlockNumber() < releasedBelow) {
                // its block is final already (a record a pipe released late): out at once, in its place
                context.forward(record, out);
                records++;
                at.put(RECORDS, Long.toString(records));
                return;
            }
            if (!envelope.getRemoved()) {
                String key = HeldRecord.key(envelope.getBlockNumber(), sequence++, record.timestamp(), record.key());
                held.put(key, record.value());
                holding.put(key, record.value());
                return;
            }
            List<String> orphaned = new ArrayList<>();
            holding.subMap(HeldRecord.first(envelope.getBlockNumber()), HeldRecord.last(envelope.getBlockNumber()))
                    .forEach((key, value) -> {
                        if (outputs.envelope(value).getBlockHash().equals(envelope.getBlockHash())) {
                            orphaned.add(key);
                        }
                    });
            for (String key : orphaned) {
                forget(key);
                holding.remove(key);
            }
            if (orphaned.isEmpty() && wasReleased(envelope.getBlockNumber())) {
                // deeper than the window: its records are out already, so the retraction must follow them
                log.warn("backtest {}: block {} ({}) was retracted {} blocks below the source's highest, deeper than "
                                + "the reorg window {}; passing the retraction on", branch.puuid(),
                        envelope.getBlockNumber(), envelope.getBlockHash(), frontier - envelope.getBlockNumber(), window);
                context.forward(record, out);
            }
        }

        /** Deletes a held record: a null put, since {@code delete} would read and decode the value it returns. */
        private void forget(String key) {
            held.put(key, null);
        }

        /** A mergeable branch's fence, once the control plane has set it: fixed from then on, across restarts. */
        private void lookForFence() {
            if (holdUntilFinal || fence != null || interests == null) {
                return;
            }
            MergeFence.of(interests::get, branch.puuid()).ifPresent(set -> {
                long last = exactFence ? set.getFromHeight() - 1 : Math.max(set.getFromHeight() - 1, emitted);
                fence = MergedInto.newBuilder(set).setFromHeight(last + 1).build();
                end = last;
                at.put(FENCE_INTO, fence.getPuuid());
                at.put(FENCE_TOPIC, fence.getTopic());
                at.put(FENCE_FROM, Long.toString(fence.getFromHeight()));
                log.info("pipeline {}: merging into {} after block {}", branch.puuid(), fence.getPuuid(), last);
            });
        }

        /** A mergeable branch's record, through its fence: at once, retractions too. */
        private void pass(Record<String, V> record) {
            Envelope envelope = outputs.envelope(record.value());
            if (envelope.getBlockNumber() > end) {
                return; // past the fence: the pipeline it merges into emits it
            }
            context.forward(record, out);
            if (envelope.getBlockNumber() > emitted) {
                emitted = envelope.getBlockNumber();
                at.put(EMITTED, Long.toString(emitted));
            }
            if (!envelope.getRemoved()) {
                records++;
                at.put(RECORDS, Long.toString(records));
            }
        }

        private String hashSlot(long number) {
            return "hash-" + Math.floorMod(number, 2L * window + 2);
        }

        private boolean wasReleased(long number) {
            return number <= frontier - window;
        }

        /** Emits, oldest first, the held records of blocks that can no longer be retracted. */
        private void release() {
            long limit = Math.min(frontier - window, end);
            var oldestHeld = counters.oldestHeld();
            if (oldestHeld.isPresent()) {
                limit = Math.min(limit, oldestHeld.getAsLong() - 1);
            }
            if (limit < releasedBelow) { // releasedBelow starts at the range's start
                return;
            }
            Map<String, V> finalRecords = holding.subMap(HeldRecord.first(releasedBelow), HeldRecord.last(limit));
            int released = finalRecords.size();
            for (Map.Entry<String, V> next : finalRecords.entrySet()) {
                context.forward(new Record<>(HeldRecord.recordKey(next.getKey()), next.getValue(),
                        HeldRecord.timestamp(next.getKey())), out);
                forget(next.getKey());
            }
            finalRecords.clear();
            releasedBelow = limit + 1;
            if (released > 0) {
                records += released;
                at.put(RECORDS, Long.toString(records));
            }
        }

        /** Ends the range once the source is a window past its end and every record up to the end is out. */
        private void finishIfDue() {
            if (end == Long.MAX_VALUE || frontier - window < end) {
                return;
            }
            var oldestHeld = counters.oldestHeld();
            if (oldestHeld.isPresent() && oldestHeld.getAsLong() <= end) {
                retryLater(); // a component still holds a block of the range
                return;
            }
            release();
            long now = context.currentSystemTimeMs();
            String hash = holdUntilFinal ? at.get(END_HASH) : slotHash(at.get(hashSlot(end)), end);
            Envelope cursor = envelopes.envelope(new Cursor(end, hash == null ? "" : hash, false), null, List.of(),
                    now, now);
            V marker = holdUntilFinal
                    ? outputs.backtestEnd(cursor, BacktestEnd.newBuilder().setPuuid(branch.puuid())
                            .setStartHeight(start).setEndHeight(end).setRecords(records).build())
                    : outputs.mergedInto(cursor, fence);
            context.forward(new Record<>(Long.toString(end), marker, now), out);
            // a backtest's range is done: the first DONE a client reads says so, before the runtime's own report
            Long blocks = holdUntilFinal ? end - start + 1 : null;
            PipelineStatus finished = PipelineStatus.newBuilder().setPuuid(branch.puuid())
                    .setState(holdUntilFinal ? PipelineState.DONE : PipelineState.MERGED)
                    .setHeight(end).setHeadHeight(null).setLag(null).setProgress(holdUntilFinal ? 1.0 : null)
                    .setBlocksDone(blocks).setBlocksTotal(blocks).setReason(null).setUpdatedAt(now).build();
            context.forward(new Record<>(branch.puuid(), finished, now), status);
            done = true;
            at.put(DONE, "true");
            counters.rangeDone();
            if (retrying != null) {
                retrying.cancel();
                retrying = null;
            }
            if (holdUntilFinal) {
                log.info("backtest {}: [{}, {}] done, {} records", branch.puuid(), start, end, records);
            } else {
                log.info("pipeline {}: merged into {} after block {} ({} on from block {})", branch.puuid(),
                        fence.getPuuid(), end, fence.getTopic(), fence.getFromHeight());
            }
        }

        // Only while waiting: a scheduled punctuator makes the task commit at every interval.
        private void retryLater() {
            if (retrying == null) {
                retrying = context.schedule(RETRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
                    if (!done) {
                        lookForFence();
                        release();
                        finishIfDue();
                    }
                });
            }
        }
    }

    /** The hash kept in a slot when it is block {@code number}'s, else null (unknown). */
    private static String slotHash(String slot, long number) {
        String prefix = number + ":";
        return slot != null && slot.startsWith(prefix) ? slot.substring(prefix.length()) : null;
    }

    private static long number(String stored, long none) {
        return stored == null ? none : Long.parseLong(stored);
    }

    /** The held store's keys: height, arrival sequence, timestamp, then the record's own key, ordered by height. */
    static final class HeldRecord {
        private static final int DIGITS = 19;
        private static final int PREFIX = 60;

        private HeldRecord() {
        }

        static String key(long height, long sequence, long timestamp, String recordKey) {
            StringBuilder key = new StringBuilder(PREFIX + (recordKey == null ? 0 : recordKey.length()));
            padded(key, height).append('/');
            padded(key, sequence).append('/');
            padded(key, timestamp).append('/');
            return recordKey == null ? key.toString() : key.append(recordKey).toString();
        }

        static String first(long height) {
            return padded(new StringBuilder(DIGITS + 1), height).append('/').toString();
        }

        /** Just after every key of {@code height} ('0' follows '/'). */
        static String last(long height) {
            return padded(new StringBuilder(DIGITS + 1), height).append('0').toString();
        }

        /** {@code value} (not negative) in 19 digits, zero-padded, so keys sort by it; as {@code %019d}, without a Formatter per key. */
        private static StringBuilder padded(StringBuilder into, long value) {
            if (value < 0) {
                throw new IllegalArgumentException("a held record's height, sequence and timestamp are not negative: "
                        + value);
            }
            String digits = Long.toString(value);
            for (int i = digits.length(); i < DIGITS; i++) {
                into.append('0');
            }
            return into.append(digits);
        }

        static long sequence(String key) {
            return Long.parseLong(key.substring(20, 39));
        }

        static long timestamp(String key) {
            return Long.parseLong(key.substring(40, 59));
        }

        static String recordKey(String key) {
            return key.substring(PREFIX);
        }
    }
}
