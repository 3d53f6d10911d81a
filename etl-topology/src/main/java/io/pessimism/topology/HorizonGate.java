package io.pessimism.topology;

import io.pessimism.avro.AddressInterest;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.network.Network;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets an addressable component match a record of block N against its pipeline's interests only
 * once its network's {@link InterestHorizon} has reached N, so every interest effective at N is in
 * the branch's global store: the store is fed by the branch's global thread, not in step with the
 * records, and may lag the control plane that assigned the interest's block.
 *
 * <p>A record above the horizon is held, in arrival order, in the component's changelogged store
 * {@code <register>.<network>.held} (held records survive a crash with the branch's transactions)
 * and released to the component by a wall-clock punctuator every {@link #RELEASE_INTERVAL} as the
 * horizon passes it; records behind a held one queue behind it, so the component sees its records
 * in source order. A processor cannot wait inside {@code process()} instead: measured on Kafka
 * Streams 4.3.1, it does not see the global store's new values until it returns. The punctuator
 * is scheduled only while records are held, since every punctuation makes the task commit. The
 * oldest held block is told to the {@link BranchCounters}, so the branch's height stays below it.
 *
 * <p>One gate per processor instance, made by {@link #gated}; the processor calls {@link #init}
 * from its own {@code init} and hands every record to {@link #offer}.
 *
 * @param <V> the held record type (a block, a balance record)
 */
public final class HorizonGate<V extends SpecificRecord> {

    /** How often held records are checked against the horizon: the latency a hold adds, at most. */
    public static final Duration RELEASE_INTERVAL = Duration.ofMillis(10);
    /** A record held this long means the control plane is not advancing the horizon: said in the log. */
    private static final Duration HELD_TOO_LONG = Duration.ofSeconds(30);
    /** The name of the held records' store under the component ({@link ComponentContext#storeName}). */
    private static final String HELD = "held";

    private static final Logger log = LoggerFactory.getLogger(HorizonGate.class);

    /** What the component does with a record whose block the horizon has reached. */
    @FunctionalInterface
    public interface Release<V> {
        /** Matches {@code value}, received with the record timestamp {@code timestamp}. */
        void release(V value, long timestamp);
    }

    private final String puuid;
    private final String component;
    private final Network network;
    private final String interestStore;
    private final String heldStore;
    private final ToLongFunction<V> blockNumber;
    private final BranchCounters counters;
    private ProcessorContext<?, ?> context;
    private Release<V> release;
    private ReadOnlyKeyValueStore<String, AddressInterest> interests;
    private KeyValueStore<String, V> held;
    /** Records in {@link #held}: counted once at init (after the store is restored), then kept, off the hot path. */
    private long heldCount;
    private long arrivals;
    private long lastHeldWarning;
    /** The release punctuator, scheduled only while records are held. */
    private Cancellable releasing;

    private HorizonGate(ComponentContext component, ToLongFunction<V> blockNumber) {
        this.puuid = component.branch().puuid();
        this.component = NodeNames.component(component.node());
        this.network = component.node().network();
        this.interestStore = component.requireInterestStore();
        this.heldStore = component.storeName(HELD);
        this.blockNumber = blockNumber;
        this.counters = component.counters();
    }

    /**
     * The supplier of a component's processor that matches behind a gate: each processor instance
     * gets a gate of its own, and the supplier declares the gate's held store (changelogged, so
     * held records are kept in the branch's transactions like its output).
     *
     * @param type        the held record type
     * @param blockNumber the block a record derives from
     * @param processor   the component's processor, given its gate
     */
    public static <V extends SpecificRecord, O> ProcessorSupplier<String, V, String, O> gated(
            ComponentContext component, Class<V> type, ToLongFunction<V> blockNumber,
            Function<HorizonGate<V>, Processor<String, V, String, O>> processor) {
        StoreBuilder<?> held = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(component.storeName(HELD)),
                Serdes.String(), Topics.storeSerde(type));
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, V, String, O> get() {
                return processor.apply(new HorizonGate<>(component, blockNumber));
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(held);
            }
        };
    }

    /**
     * Opens the stores and, when records were held before a restart, resumes releasing them.
     *
     * @param release called for each record once its block is at or below the horizon, in order
     */
    public void init(ProcessorContext<?, ?> context, Release<V> release) {
        this.context = context;
        this.release = release;
        this.interests = context.getStateStore(interestStore);
        this.held = context.getStateStore(heldStore);
        try (KeyValueIterator<String, V> all = held.all()) {
            while (all.hasNext()) {
                V oldestFirst = all.next().value;
                if (heldCount++ == 0) {
                    counters.holding(blockNumber.applyAsLong(oldestFirst));
                }
            }
        }
        if (heldCount > 0) {
            startReleasing();
        }
    }

    /** Every pipeline's interests and the horizons: the branch's global store. */
    public ReadOnlyKeyValueStore<String, AddressInterest> interests() {
        return interests;
    }

    /** Releases the record now when nothing is held and the horizon has reached its block, else holds it. */
    public void offer(V value, long timestamp) {
        long number = blockNumber.applyAsLong(value);
        if (heldCount == 0 && InterestHorizon.of(interests::get, network) >= number) {
            release.release(value, timestamp);
            return;
        }
        held.put(HeldKey.of(sequence(), timestamp), value);
        if (heldCount++ == 0) {
            counters.holding(number);
        }
        startReleasing();
    }

    // An idle branch with a punctuator scheduled would commit a transaction every commit interval.
    private void startReleasing() {
        if (releasing == null) {
            releasing = context.schedule(RELEASE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::releaseHeld);
        }
    }

    private void stopReleasing() {
        if (releasing != null) {
            releasing.cancel();
            releasing = null;
        }
    }

    /** Releases the held records the horizon has reached, oldest first; stops at the first it has not. */
    private void releaseHeld(long now) {
        if (heldCount == 0) {
            stopReleasing();
            return;
        }
        long horizon = InterestHorizon.of(interests::get, network);
        try (KeyValueIterator<String, V> oldest = held.all()) {
            while (oldest.hasNext()) {
                KeyValue<String, V> next = oldest.next();
                long timestamp = HeldKey.timestamp(next.key);
                long number = blockNumber.applyAsLong(next.value);
                if (number > horizon) {
                    counters.holding(number);
                    warnIfHeldTooLong(number, timestamp, horizon, now);
                    return;
                }
                release.release(next.value, timestamp);
                held.delete(next.key);
                heldCount--;
            }
        }
        counters.holdingNone();
        stopReleasing(); // all released
    }

    /** The record's position among held records: its source offset (one ordered partition per branch). */
    private long sequence() {
        return context.recordMetadata().map(RecordMetadata::offset).orElse(arrivals++);
    }

    private void warnIfHeldTooLong(long number, long timestamp, long horizon, long now) {
        if (now - timestamp > HELD_TOO_LONG.toMillis() && now - lastHeldWarning > HELD_TOO_LONG.toMillis()) {
            lastHeldWarning = now;
            log.warn("pipeline {}: {} holds block {} for {} s: interests are confirmed through block {} only; "
                    + "is the control plane running? (it writes {} on <ns>.state)", puuid, component, number,
                    (now - timestamp) / 1000, horizon, InterestHorizon.key(network));
        }
    }

    /** A held record's key: its sequence, zero-padded so keys sort in arrival order, and its record timestamp. */
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
