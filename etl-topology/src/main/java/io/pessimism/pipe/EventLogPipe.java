package io.pessimism.pipe;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.EventLog;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.Log;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestIndex;
import io.pessimism.network.Network;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.InterestStore;
import io.pessimism.topology.PoisonRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's event_log pipe, a pure function of each {@code geth_block} record and of its
 * pipeline's interests: every log of the block whose (address, topic0) pair an interest effective
 * at that block watches is emitted once, keyed by its lowercase address and tagged with exactly
 * the owners watching that pair. A retracted block ({@code removed=true}) re-emits the same
 * matching logs with {@code removed=true}, so a consumer can undo them.
 *
 * <p>A block is matched only once its network's {@link InterestHorizon} has reached it, so every
 * interest effective at the block is loaded: a block above the horizon is held, in arrival order,
 * in a changelogged store and released by a wall-clock punctuator as the horizon passes it (a
 * processor cannot wait inside {@code process}: it sees the global store's new values only between
 * its own records). Interests are those effective at the block when it is matched: an interest
 * withdrawn between a block and its retraction does not retract that block's records.
 */
final class EventLogPipe implements Processor<String, Block, String, EventLogOutput> {

    private static final Logger log = LoggerFactory.getLogger(EventLogPipe.class);

    /** How often held blocks are checked against the horizon: the latency a hold adds, at most. */
    static final Duration RELEASE_INTERVAL = Duration.ofMillis(10);
    /** A block held this long means the control plane is not advancing the horizon: said in the log. */
    private static final Duration HELD_TOO_LONG = Duration.ofSeconds(30);

    private final String puuid;
    private final Network network;
    private final String interestStore;
    private final String heldStore;
    private final EnvelopeTemplate envelopes;
    private final BranchCounters counters;
    private ProcessorContext<String, EventLogOutput> context;
    private ReadOnlyKeyValueStore<String, AddressInterest> interests;
    private KeyValueStore<String, Block> held;
    /**
     * Blocks in {@link #held}: counted once at init (after the store is restored), then kept, off the hot path.
     * The oldest is told to the {@link BranchCounters}, so the branch's height stays below it.
     */
    private long heldCount;
    private long arrivals;
    private long lastHeldWarning;
    /** The release punctuator, scheduled only while blocks are held: every punctuation makes the task commit. */
    private Cancellable releasing;

    EventLogPipe(String puuid, Network network, String interestStore, String heldStore, EnvelopeTemplate envelopes,
            BranchCounters counters) {
        this.puuid = puuid;
        this.network = network;
        this.interestStore = interestStore;
        this.heldStore = heldStore;
        this.envelopes = envelopes;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, EventLogOutput> context) {
        this.context = context;
        this.interests = context.getStateStore(interestStore);
        this.held = context.getStateStore(heldStore);
        try (KeyValueIterator<String, Block> all = held.all()) {
            while (all.hasNext()) {
                Block oldestFirst = all.next().value;
                if (heldCount++ == 0) {
                    counters.holding(oldestFirst.getNumber());
                }
            }
        }
        if (heldCount > 0) {
            startReleasing();
        }
    }

    // An idle branch with a punctuator scheduled would commit a transaction every commit interval.
    private void startReleasing() {
        if (releasing == null) {
            releasing = context.schedule(RELEASE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::release);
        }
    }

    private void stopReleasing() {
        if (releasing != null) {
            releasing.cancel();
            releasing = null;
        }
    }

    @Override
    public void process(Record<String, Block> record) {
        Block block = record.value();
        if (block == null) {
            throw new PoisonRecordException("block record " + record.key() + " has no value (a tombstone on a block topic)");
        }
        if (block.getLogs().isEmpty()) {
            return; // nothing to match, so nothing to keep in order
        }
        if (heldCount == 0 && InterestHorizon.of(interests::get, network) >= block.getNumber()) {
            match(block, record.timestamp());
            return;
        }
        held.put(HeldKey.of(sequence(), record.timestamp()), block);
        if (heldCount++ == 0) {
            counters.holding(block.getNumber());
        }
        startReleasing();
    }

    /** Matches the held blocks the horizon has reached, oldest first; stops at the first it has not. */
    private void release(long now) {
        if (heldCount == 0) {
            stopReleasing();
            return;
        }
        long horizon = InterestHorizon.of(interests::get, network);
        try (KeyValueIterator<String, Block> oldest = held.all()) {
            while (oldest.hasNext()) {
                KeyValue<String, Block> next = oldest.next();
                long timestamp = HeldKey.timestamp(next.key);
                if (next.value.getNumber() > horizon) {
                    counters.holding(next.value.getNumber());
                    warnIfHeldTooLong(next.value, timestamp, horizon, now);
                    return;
                }
                match(next.value, timestamp);
                held.delete(next.key);
                heldCount--;
            }
        }
        counters.holdingNone();
        stopReleasing(); // all released
    }

    /** The block's position among held blocks: its source offset (one ordered partition per branch). */
    private long sequence() {
        return context.recordMetadata().map(RecordMetadata::offset).orElse(arrivals++);
    }

    private void match(Block block, long timestamp) {
        InterestIndex index = InterestIndex.effectiveAt(InterestStore.of(interests, puuid), block.getNumber());
        if (index.isEmpty()) {
            return;
        }
        Cursor cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
        long now = context.currentSystemTimeMs();
        for (Log entry : block.getLogs()) {
            List<String> owners = index.owners(entry.getAddress(),
                    entry.getTopics().isEmpty() ? null : entry.getTopics().get(0));
            if (owners.isEmpty()) {
                continue;
            }
            String address = entry.getAddress().toLowerCase(Locale.ROOT);
            EventLogOutput output = new EventLogOutput();
            output.setEnvelope(envelopes.envelope(cursor, address, owners, timestamp, now));
            output.setValue(eventLog(block, entry, address));
            output.setMergedInto(null);
            context.forward(new Record<>(address, output, timestamp));
        }
    }

    private void warnIfHeldTooLong(Block block, long timestamp, long horizon, long now) {
        if (now - timestamp > HELD_TOO_LONG.toMillis() && now - lastHeldWarning > HELD_TOO_LONG.toMillis()) {
            lastHeldWarning = now;
            log.warn("pipeline {}: block {} of {} held for {} s: interests are confirmed through block {} only; "
                    + "is the control plane running? (it writes {} on <ns>.state)", puuid, block.getNumber(),
                    network.label(), (now - timestamp) / 1000, horizon, InterestHorizon.key(network));
        }
    }

    private static EventLog eventLog(Block block, Log log, String address) {
        EventLog event = new EventLog();
        event.setNetwork(block.getNetwork());
        event.setAddress(address);
        event.setTopics(log.getTopics());
        event.setData(log.getData());
        event.setBlockNumber(block.getNumber());
        event.setBlockHash(block.getHash());
        event.setTransactionHash(log.getTransactionHash());
        event.setTransactionIndex(log.getTransactionIndex());
        event.setLogIndex(log.getLogIndex());
        event.setRemoved(block.getRemoved());
        return event;
    }

    /** A held block's key: its sequence, zero-padded so keys sort in arrival order, and its record timestamp. */
    static final class HeldKey {

        private HeldKey() {
        }

        static String of(long sequence, long timestamp) {
            return String.format(Locale.ROOT, "%019d|%d", sequence, timestamp);
        }

        static long timestamp(String key) {
            return Long.parseLong(key.substring(key.indexOf('|') + 1));
        }
    }
}
