package io.pessimism.topology;

import io.pessimism.avro.BacktestEnd;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last node of a backtest before {@code <prefix>.out}: it lets out exactly the canonical chain
 * of {@code [startHeight, endHeight]}, then the end marker and the pipeline's DONE status, in one
 * transaction (DESIGN.md §6).
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

    private final BranchDefinition branch;
    private final Class<V> type;
    private final OutputRecords<V> outputs;
    private final EnvelopeTemplate envelopes;
    private final int window;
    private final BranchCounters counters;
    private final String out;
    private final String status;
    private final StoreBuilder<KeyValueStore<String, V>> buffer;
    private final StoreBuilder<KeyValueStore<String, String>> position;

    /**
     * @param window the trigger network's reorg window: how far past a block the source must be before it is final
     * @param out    the sink of {@code <prefix>.out}
     * @param status the sink of {@code <ns>.pipeline-status}
     */
    RangeEnd(BranchDefinition branch, Class<V> type, int window, BranchCounters counters, String out, String status) {
        this.branch = branch;
        this.type = type;
        this.outputs = OutputRecords.of(type);
        this.envelopes = new EnvelopeTemplate(branch, branch.graph().downstream());
        this.window = window;
        this.counters = counters;
        this.out = out;
        this.status = status;
        this.buffer = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeNames.RANGE_END + ".buffer"),
                Serdes.String(), Topics.storeSerde(type));
        this.position = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeNames.RANGE_END + ".position"),
                Serdes.String(), Serdes.String());
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
        private KeyValueStore<String, String> at;
        private long start;
        private long end;
        private long frontier;
        private long records;
        private long sequence;
        private boolean done;
        private Cancellable retrying;

        @Override
        public void init(ProcessorContext<String, Object> context) {
            this.context = context;
            this.held = context.getStateStore(NodeNames.RANGE_END + ".buffer");
            this.at = context.getStateStore(NodeNames.RANGE_END + ".position");
            this.start = branch.startHeight();
            this.end = branch.endHeight();
            this.frontier = number(at.get(FRONTIER), -1);
            this.records = number(at.get(RECORDS), 0);
            this.done = Boolean.parseBoolean(at.get(DONE));
            try (KeyValueIterator<String, V> all = held.all()) {
                while (all.hasNext()) {
                    sequence = Math.max(sequence, HeldRecord.sequence(all.next().key) + 1);
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
                return; // the end marker is the last record of a backtest
            }
            if (record.value() instanceof RangeSignal signal) {
                advance(signal.cursor());
            } else {
                V output = type.cast(record.value());
                hold(record.withValue(output));
            }
            release();
            finishIfDue();
        }

        private void advance(Cursor cursor) {
            if (!cursor.removed() && cursor.blockNumber() > frontier) {
                frontier = cursor.blockNumber();
                at.put(FRONTIER, Long.toString(frontier));
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
            if (!envelope.getRemoved()) {
                held.put(HeldRecord.key(envelope.getBlockNumber(), sequence++, record.timestamp(), record.key()),
                        record.value());
                return;
            }
            List<String> orphaned = new ArrayList<>();
            try (KeyValueIterator<String, V> same = held.range(HeldRecord.first(envelope.getBlockNumber()),
                    HeldRecord.last(envelope.getBlockNumber()))) {
                while (same.hasNext()) {
                    KeyValue<String, V> next = same.next();
                    if (outputs.envelope(next.value).getBlockHash().equals(envelope.getBlockHash())) {
                        orphaned.add(next.key);
                    }
                }
            }
            orphaned.forEach(held::delete);
            if (orphaned.isEmpty() && wasReleased(envelope.getBlockNumber())) {
                // deeper than the window: its records are out already, so the retraction must follow them
                log.warn("backtest {}: block {} ({}) was retracted {} blocks below the source's highest, deeper than "
                                + "the reorg window {}; passing the retraction on", branch.puuid(),
                        envelope.getBlockNumber(), envelope.getBlockHash(), frontier - envelope.getBlockNumber(), window);
                context.forward(record, out);
            }
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
            if (limit < start) {
                return;
            }
            List<String> released = new ArrayList<>();
            try (KeyValueIterator<String, V> finalRecords = held.range(HeldRecord.first(0), HeldRecord.last(limit))) {
                while (finalRecords.hasNext()) {
                    KeyValue<String, V> next = finalRecords.next();
                    context.forward(new Record<>(HeldRecord.recordKey(next.key), next.value,
                            HeldRecord.timestamp(next.key)), out);
                    released.add(next.key);
                }
            }
            released.forEach(held::delete);
            if (!released.isEmpty()) {
                records += released.size();
                at.put(RECORDS, Long.toString(records));
            }
        }

        /** Ends the range once the source is a window past its end and every record up to the end is out. */
        private void finishIfDue() {
            if (frontier - window < end) {
                return;
            }
            var oldestHeld = counters.oldestHeld();
            if (oldestHeld.isPresent() && oldestHeld.getAsLong() <= end) {
                retryLater(); // a component still holds a block of the range
                return;
            }
            release();
            long now = context.currentSystemTimeMs();
            String hash = at.get(END_HASH);
            Envelope cursor = envelopes.envelope(new Cursor(end, hash == null ? "" : hash, false), null, List.of(),
                    now, now);
            BacktestEnd marker = BacktestEnd.newBuilder().setPuuid(branch.puuid()).setStartHeight(start)
                    .setEndHeight(end).setRecords(records).build();
            context.forward(new Record<>(Long.toString(end), outputs.backtestEnd(cursor, marker), now), out);
            // every block of the range is done: the first DONE a client reads says so, before the runtime's own report
            long blocks = end - start + 1;
            PipelineStatus finished = PipelineStatus.newBuilder().setPuuid(branch.puuid()).setState(PipelineState.DONE)
                    .setHeight(end).setHeadHeight(null).setLag(null).setProgress(1.0).setBlocksDone(blocks)
                    .setBlocksTotal(blocks).setReason(null).setUpdatedAt(now).build();
            context.forward(new Record<>(branch.puuid(), finished, now), status);
            done = true;
            at.put(DONE, "true");
            counters.rangeDone();
            if (retrying != null) {
                retrying.cancel();
                retrying = null;
            }
            log.info("backtest {}: [{}, {}] done, {} records", branch.puuid(), start, end, records);
        }

        // Only while waiting: a scheduled punctuator makes the task commit at every interval.
        private void retryLater() {
            if (retrying == null) {
                retrying = context.schedule(RETRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> {
                    if (!done) {
                        release();
                        finishIfDue();
                    }
                });
            }
        }
    }

    private static long number(String stored, long none) {
        return stored == null ? none : Long.parseLong(stored);
    }

    /** The held store's keys: height, arrival sequence, timestamp, then the record's own key, ordered by height. */
    static final class HeldRecord {
        private static final String FORMAT = "%019d/%019d/%019d/";
        private static final int PREFIX = 60;

        private HeldRecord() {
        }

        static String key(long height, long sequence, long timestamp, String recordKey) {
            return String.format(FORMAT, height, sequence, timestamp) + (recordKey == null ? "" : recordKey);
        }

        static String first(long height) {
            return String.format("%019d/", height);
        }

        /** Just after every key of {@code height} ('0' follows '/'). */
        static String last(long height) {
            return String.format("%019d0", height);
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
