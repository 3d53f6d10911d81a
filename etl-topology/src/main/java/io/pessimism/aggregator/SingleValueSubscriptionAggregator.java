package io.pessimism.aggregator;

import io.pessimism.avro.BlockReference;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.L1L2BlockSync;
import io.pessimism.avro.SourceBlocks;
import io.pessimism.component.ComponentNode;
import io.pessimism.registry.Dependency;
import io.pessimism.registry.Register;
import io.pessimism.registry.SingleValueSubscription;
import io.pessimism.topic.Topics;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.OutputRecords;
import io.pessimism.topology.PoisonRecordException;
import io.pessimism.topology.Tagged;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's Single Value Subscription over any number of block sources (see docs/aggregators.md):
 * on every block of the trigger source, one tuple holding that block and, for each other source,
 * its blocks whose block time is in {@code (previous trigger's, this trigger's]} (a tie goes to this
 * trigger), possibly none. Blocks are placed by block time, never by arrival order, and a tuple
 * goes out only once every other source has passed its trigger's time (sent a later block), so any
 * interleaving of the sources, live, after a restart or in a replay, gives the same tuples.
 *
 * <p>A tuple whose sources stay silent for {@code aggregators.max-wait} (measured from the later of
 * the trigger's arrival and the source's last record) goes out incomplete: the silent sources are
 * listed in {@code stalled}, counted ({@link BranchCounters#stalledTuples}) and logged. A block that
 * arrives after its window went out stalled goes into the next tuple, which is flagged {@code late}
 * (the block's time is at most the tuple's {@code fromTime}): never dropped, never in two tuples.
 *
 * <p>Retractions: a retracted block still pending is dropped. A retracted block inside an emitted
 * tuple retracts that tuple and every tuple emitted after it, newest first (same tuple ids,
 * {@code removed=true}); their other blocks and triggers go back to pending and are placed again as
 * the replacement blocks arrive, so the tuples re-emitted are those an aggregator that never saw the
 * orphans would have emitted. Emitted tuples are kept (for that) until each of their blocks is a
 * reorg window deep on its network. A source's retraction also resets what it has passed: tuples
 * wait for its replacement blocks.
 *
 * <p>State, all in changelogged stores named by {@link ComponentContext#storeName}: {@code pending}
 * (blocks not yet in a tuple, and the triggers waiting), {@code tuples} (emitted tuples still
 * retractable, as sent) and {@code position} (each source's block time passed and highest block,
 * and the time the last forgotten tuple ended). {@code pending} and {@code tuples} are also kept in
 * memory ({@link MirroredStore}, read back when the task starts) and read only there. The
 * wall-clock waits are in memory only: after a restart a wait starts again. The oldest waiting trigger is told to
 * {@link BranchCounters#holding}, so the branch's height, and a backtest's end, wait for its tuple.
 *
 * @param <V> the register's {@code .out} type, whose value is an {@link L1L2BlockSync}
 */
public final class SingleValueSubscriptionAggregator<V extends SpecificRecord>
        implements ProcessorSupplier<String, Tagged, String, V> {

    /** The longest interval between two checks for stalled sources while a trigger waits. */
    static final Duration MAX_CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(SingleValueSubscriptionAggregator.class);
    /** A block sync is for every owner of the pipeline (not addressable). */
    private static final List<String> EVERY_OWNER = List.of();
    private static final long UNKNOWN = Long.MIN_VALUE;
    private static final String FLOOR = "floor";

    private final String puuid;
    private final String triggerNetwork;
    private final List<SyncSource> sources;
    private final Duration maxWait;
    private final Duration checkInterval;
    private final OutputRecords<V> outputs;
    private final EnvelopeTemplate envelopes;
    private final BranchCounters counters;
    private final StoreBuilder<KeyValueStore<String, BlockReference>> pendingStore;
    private final StoreBuilder<KeyValueStore<String, V>> tuplesStore;
    private final StoreBuilder<KeyValueStore<String, String>> positionStore;

    /**
     * The aggregator of {@code context}'s component, whose register has a Single Value Subscription.
     *
     * @throws IllegalArgumentException naming the register when it has another policy or none
     */
    public SingleValueSubscriptionAggregator(ComponentContext context, Class<V> outputType) {
        ComponentNode node = context.node();
        Register register = node.register();
        if (!(register.syncPolicy().orElse(null) instanceof SingleValueSubscription)) {
            throw new IllegalArgumentException("register " + register.name() + " has sync policy "
                    + register.syncPolicy().map(Object::toString).orElse("none") + ", not a single value subscription");
        }
        Dependency trigger = register.primaryDependency(node.network()).orElseThrow();
        List<ComponentNode> inputs = context.branch().graph().upstreamOf(node);
        List<SyncSource> all = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Dependency dependency = register.dependencies().get(i);
            all.add(new SyncSource(i, dependency.toString(), inputs.get(i).network(), dependency.equals(trigger),
                    context.reorgWindows().of(inputs.get(i).network())));
        }
        this.sources = List.copyOf(all);
        this.puuid = context.branch().puuid();
        this.triggerNetwork = trigger.networkIn(node.network()).label();
        this.maxWait = context.maxWait();
        long quarter = Math.max(10, context.maxWait().toMillis() / 4);
        this.checkInterval = Duration.ofMillis(Math.min(MAX_CHECK_INTERVAL.toMillis(), quarter));
        this.outputs = OutputRecords.of(outputType);
        this.envelopes = new EnvelopeTemplate(context);
        this.counters = context.counters();
        // pending and tuples are read from memory (MirroredStore), only written to: behind the record
        // cache, a block or tuple put and deleted within a commit interval costs one changelog tombstone
        this.pendingStore = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(context.storeName("pending")),
                Serdes.String(), Topics.storeSerde(BlockReference.class)).withCachingEnabled();
        this.tuplesStore = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(context.storeName("tuples")),
                Serdes.String(), Topics.storeSerde(outputType)).withCachingEnabled();
        // the per-record position updates reach RocksDB and the changelog once per commit, not per record
        this.positionStore = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(context.storeName("position")),
                Serdes.String(), Serdes.String()).withCachingEnabled();
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.of(pendingStore, tuplesStore, positionStore);
    }

    @Override
    public Processor<String, Tagged, String, V> get() {
        return new Aggregation();
    }

    /** The tuple id: the trigger block's {@code <network>:<number>:<hash>}. */
    static String tupleId(BlockReference trigger) {
        return trigger.getNetwork() + ":" + trigger.getNumber() + ":" + trigger.getHash();
    }

    private final class Aggregation implements Processor<String, Tagged, String, V> {
        private ProcessorContext<String, V> context;
        private MirroredStore<BlockReference> pending;
        private MirroredStore<V> tuples;
        private KeyValueStore<String, String> position;
        /** Per source: the highest block time it has passed (sent), UNKNOWN after a retraction. */
        private final long[] passed = new long[sources.size()];
        /** Per source: its highest block number, for forgetting final tuples. */
        private final long[] heads = new long[sources.size()];
        /** Per source: when it last sent anything (wall clock, in memory). */
        private final long[] heardFrom = new long[sources.size()];
        /** When each waiting trigger began to wait (wall clock, in memory; a restart starts it again). */
        private final Map<String, Long> waitingSince = new HashMap<>();
        private long started;
        private Long floor;
        private Cancellable checking;

        @Override
        public void init(ProcessorContext<String, V> context) {
            this.context = context;
            this.pending = new MirroredStore<>(context.getStateStore(pendingStore.name()));
            this.tuples = new MirroredStore<>(context.getStateStore(tuplesStore.name()));
            this.position = context.getStateStore(positionStore.name());
            started = context.currentSystemTimeMs();
            Arrays.fill(heardFrom, started);
            for (SyncSource source : sources) {
                passed[source.index()] = stored("passed/" + source.index(), UNKNOWN);
                heads[source.index()] = stored("head/" + source.index(), -1);
            }
            String storedFloor = position.get(FLOOR);
            floor = storedFloor == null ? null : Long.parseLong(storedFloor);
            scheduleWhileWaiting();
        }

        @Override
        public void process(Record<String, Tagged> record) {
            SyncSource source = sources.get(record.value().input());
            if (record.value().value() == null) {
                throw PoisonRecordException.tombstone(source.dependency() + " block", record.key());
            }
            SourceRecord in = SourceRecord.of(record.value().value(), source.dependency());
            long now = context.currentSystemTimeMs();
            heardFrom[source.index()] = now;
            if (in.removed()) {
                retract(source, in.block());
            } else if (source.trigger()) {
                waitFor(in.block(), record.timestamp(), now);
            } else {
                BlockReference block = in.block();
                pending.put(SyncKeys.member(source.index(), block), block);
                if (block.getTimestamp() > passed[source.index()]) {
                    setPassed(source.index(), block.getTimestamp());
                }
                advanceHead(source.index(), block.getNumber());
            }
            emitReady(now);
            forgetFinal();
            scheduleWhileWaiting();
        }

        private void waitFor(BlockReference trigger, long recordTimestamp, long now) {
            if (findTrigger(trigger).isPresent() || tuples.get(SyncKeys.tuple(trigger)) != null) {
                log.warn("pipeline {}: trigger block {} came twice; its tuple holds it once", puuid, tupleId(trigger));
                return;
            }
            String key = SyncKeys.trigger(trigger, recordTimestamp);
            pending.put(key, trigger);
            waitingSince.put(key, now);
            advanceHead(triggerIndex(), trigger.getNumber());
        }

        /** Emits, in trigger order, every tuple whose other sources have all passed its time, or stalled. */
        private void emitReady(long now) {
            for (Map.Entry<String, BlockReference> head = firstTrigger(); head != null; head = firstTrigger()) {
                long time = head.getValue().getTimestamp();
                List<SyncSource> stalled = new ArrayList<>();
                for (SyncSource source : sources) {
                    if (source.trigger() || passed[source.index()] > time) {
                        continue;
                    }
                    long since = Math.max(waitingSince.getOrDefault(head.getKey(), started),
                            heardFrom[source.index()]);
                    if (now - since < maxWait.toMillis()) {
                        return; // the source may still send blocks of this window
                    }
                    stalled.add(source);
                }
                emit(head.getKey(), head.getValue(), stalled, now);
            }
        }

        private void emit(String key, BlockReference trigger, List<SyncSource> stalled, long now) {
            Long from = fromTime();
            List<SourceBlocks> lists = new ArrayList<>();
            boolean late = false;
            for (SyncSource source : sources) {
                List<BlockReference> blocks = source.trigger() ? List.of(trigger)
                        : take(source.index(), trigger.getTimestamp());
                late |= from != null && blocks.stream().anyMatch(b -> b.getTimestamp() <= from);
                lists.add(SourceBlocks.newBuilder().setSource(source.dependency())
                        .setNetwork(source.network().label()).setTrigger(source.trigger()).setBlocks(blocks)
                        .setStalled(stalled.contains(source)).build());
            }
            L1L2BlockSync tuple = L1L2BlockSync.newBuilder().setTupleId(tupleId(trigger))
                    .setTriggerNetwork(triggerNetwork).setTrigger(trigger).setFromTime(from).setSources(lists)
                    .setStalled(stalled.stream().map(SyncSource::dependency).toList()).setLate(late).setRemoved(false)
                    .build();
            long recordTimestamp = SyncKeys.recordTimestamp(key);
            Envelope envelope = envelopes.envelope(new Cursor(trigger.getNumber(), trigger.getHash(), false), null,
                    EVERY_OWNER, recordTimestamp, now);
            V out = outputs.data(envelope, tuple);
            tuples.put(SyncKeys.tuple(trigger), out);
            pending.delete(key);
            waitingSince.remove(key);
            context.forward(new Record<>(Long.toString(trigger.getNumber()), out, recordTimestamp));
            if (!stalled.isEmpty()) {
                counters.stalledTuple();
                log.warn("pipeline {}: tuple {} emitted incomplete: {} sent nothing past block time {} for {}; "
                                + "their blocks of it will come late, in the next tuple", puuid, tuple.getTupleId(),
                        tuple.getStalled(), trigger.getTimestamp(), maxWait);
            }
        }

        /** Takes out of pending every block of {@code source} with a block time at most {@code time}, in order. */
        private List<BlockReference> take(int source, long time) {
            Map<String, BlockReference> window = pending.range(SyncKeys.memberPrefix(source),
                    SyncKeys.memberThrough(source, time));
            List<BlockReference> taken = new ArrayList<>(window.values());
            new ArrayList<>(window.keySet()).forEach(pending::delete);
            return taken;
        }

        private void retract(SyncSource source, BlockReference block) {
            int index = source.index();
            heads[index] = Math.min(heads[index], block.getNumber() - 1);
            position.put("head/" + index, Long.toString(heads[index]));
            if (source.trigger()) {
                Optional<String> waiting = findTrigger(block);
                if (waiting.isEmpty() && tuples.get(SyncKeys.tuple(block)) != null) {
                    rewind(SyncKeys.tuple(block));
                    waiting = findTrigger(block);
                }
                waiting.ifPresentOrElse(key -> {
                    pending.delete(key);
                    waitingSince.remove(key);
                }, () -> unknownRetraction(source, block));
                return;
            }
            // what the source has passed is unknown until its replacement blocks come
            setPassed(index, UNKNOWN);
            String key = SyncKeys.member(index, block);
            if (pending.get(key) == null) {
                Optional<String> holder = tupleHolding(index, block);
                if (holder.isEmpty()) {
                    unknownRetraction(source, block);
                    return;
                }
                rewind(holder.get());
            }
            pending.delete(key);
        }

        /**
         * Retracts the emitted tuple {@code from} and every tuple emitted after it, newest first, and
         * puts their triggers and blocks back to pending, to be placed again.
         */
        private void rewind(String from) {
            List<Map.Entry<String, V>> suffix = new ArrayList<>(tuples.range(from, null).entrySet());
            Collections.reverse(suffix);
            long now = context.currentSystemTimeMs();
            for (Map.Entry<String, V> emitted : suffix) {
                L1L2BlockSync tuple = (L1L2BlockSync) outputs.value(emitted.getValue());
                long recordTimestamp = outputs.envelope(emitted.getValue()).getOriginTs();
                V retraction = SpecificData.get().deepCopy(emitted.getValue().getSchema(), emitted.getValue());
                outputs.envelope(retraction).setRemoved(true);
                outputs.envelope(retraction).setTimestamp(now);
                ((L1L2BlockSync) outputs.value(retraction)).setRemoved(true);
                context.forward(new Record<>(Long.toString(tuple.getTrigger().getNumber()), retraction,
                        recordTimestamp));
                tuples.delete(emitted.getKey());
                String trigger = SyncKeys.trigger(tuple.getTrigger(), recordTimestamp);
                pending.put(trigger, tuple.getTrigger());
                waitingSince.put(trigger, now);
                for (SyncSource source : sources) {
                    if (!source.trigger()) {
                        for (BlockReference block : tuple.getSources().get(source.index()).getBlocks()) {
                            pending.put(SyncKeys.member(source.index(), block), block);
                        }
                    }
                }
                log.info("pipeline {}: tuple {} retracted (a block of it, or of a tuple before it, was orphaned); "
                        + "its blocks wait to be placed again", puuid, tuple.getTupleId());
            }
        }

        private void unknownRetraction(SyncSource source, BlockReference block) {
            if (floor != null && block.getTimestamp() <= floor) {
                log.warn("pipeline {}: {} retracted block {} ({}), older than every tuple still retractable "
                                + "(a reorg deeper than the reorg window {}); its tuple stays as emitted", puuid,
                        source.dependency(), block.getNumber(), block.getHash(), source.reorgWindow());
            } else {
                log.debug("pipeline {}: {} retracted block {} ({}), which no tuple holds", puuid, source.dependency(),
                        block.getNumber(), block.getHash());
            }
        }

        /** The emitted tuple holding {@code block} of {@code source}. */
        private Optional<String> tupleHolding(int source, BlockReference block) {
            for (Map.Entry<String, V> emitted : tuples.range(null, null).entrySet()) {
                L1L2BlockSync tuple = (L1L2BlockSync) outputs.value(emitted.getValue());
                for (BlockReference held : tuple.getSources().get(source).getBlocks()) {
                    if (held.getNumber() == block.getNumber() && held.getHash().equals(block.getHash())) {
                        return Optional.of(emitted.getKey());
                    }
                }
            }
            return Optional.empty();
        }

        /** Forgets the oldest emitted tuples once each of their blocks is a reorg window deep on its network. */
        private void forgetFinal() {
            List<String> forgotten = new ArrayList<>();
            String start = floor == null ? null : SyncKeys.fixed(floor) + "/";
            for (Map.Entry<String, V> emitted : tuples.range(start, null).entrySet()) {
                if (!isFinal((L1L2BlockSync) outputs.value(emitted.getValue()))) {
                    break;
                }
                forgotten.add(emitted.getKey());
            }
            if (!forgotten.isEmpty()) {
                forgotten.forEach(tuples::delete);
                floor = SyncKeys.tupleTime(forgotten.get(forgotten.size() - 1));
                position.put(FLOOR, Long.toString(floor));
            }
        }

        private boolean isFinal(L1L2BlockSync tuple) {
            for (SyncSource source : sources) {
                for (BlockReference block : tuple.getSources().get(source.index()).getBlocks()) {
                    if (heads[source.index()] < block.getNumber() + source.reorgWindow()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** The previous trigger's time: the newest tuple kept's, else the last forgotten one's; null before any. */
        private Long fromTime() {
            Map.Entry<String, V> newest = tuples.last();
            if (newest != null) {
                return SyncKeys.tupleTime(newest.getKey());
            }
            return floor;
        }

        private Map.Entry<String, BlockReference> firstTrigger() {
            return pending.range(SyncKeys.TRIGGERS, SyncKeys.triggersEnd()).firstEntry();
        }

        private Optional<String> findTrigger(BlockReference block) {
            String prefix = SyncKeys.TRIGGERS + SyncKeys.tuple(block).substring(0, 40);
            for (Map.Entry<String, BlockReference> same : pending.range(prefix, prefix + "~").entrySet()) {
                if (same.getValue().getHash().equals(block.getHash())) {
                    return Optional.of(same.getKey());
                }
            }
            return Optional.empty();
        }

        private int triggerIndex() {
            return sources.stream().filter(SyncSource::trigger).findFirst().orElseThrow().index();
        }

        private void advanceHead(int source, long number) {
            if (number > heads[source]) {
                heads[source] = number;
                position.put("head/" + source, Long.toString(number));
            }
        }

        private void setPassed(int source, long time) {
            passed[source] = time;
            position.put("passed/" + source, Long.toString(time));
        }

        private long stored(String key, long none) {
            String value = position.get(key);
            return value == null ? none : Long.parseLong(value);
        }

        /**
         * Tells the branch the oldest trigger waiting, and checks for stalled sources only while one
         * waits: a scheduled punctuator makes the task commit at every interval.
         */
        private void scheduleWhileWaiting() {
            Map.Entry<String, BlockReference> first = firstTrigger();
            if (first == null) {
                counters.holdingNone();
                if (checking != null) {
                    checking.cancel();
                    checking = null;
                }
                return;
            }
            counters.holding(first.getValue().getNumber());
            if (checking == null) {
                checking = context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, now -> {
                    emitReady(now);
                    forgetFinal();
                    scheduleWhileWaiting();
                });
            }
        }
    }
}
