package io.pessimism.app.service;

import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineType;
import io.pessimism.config.PessimismConfig;
import io.pessimism.logging.LogContext;
import io.pessimism.network.Network;
import io.pessimism.oracle.BackTestRoutine;
import io.pessimism.oracle.OracleCatalog;
import io.pessimism.oracle.OracleContext;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backtests' own sources (DESIGN.md §6): a backtest whose range starts below what its oracle topic
 * holds reads {@code <prefix>.source} ({@link PipelineSpec#getOwnSource()}), and this fills it with the
 * range by the oracle's {@link BackTestRoutine}, in the oracles service, where the nodes are: the
 * ETL does no external I/O. Follows {@code <ns>.pipelines} from its beginning; the process holding an
 * oracle's lease fills the sources of the backtests that read that oracle, one thread each.
 *
 * <p>A routine writes only final blocks (it runs with its network's reorg window as confirmations at
 * least), so the branch reading the source needs no window of its own; it resumes from the source's tail
 * when restarted here or in the process the lease moves to (a transactional id per source fences a
 * stale writer); a spec whose end moved later restarts it with the new end. A fill stops when its
 * pipeline is stopped or removed, or its lease moves away; after stopping for a removal it deletes the
 * source, which the routine might have recreated while the ETL deleted it.
 */
final class BacktestSources implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BacktestSources.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final PessimismConfig config;
    private final Topics topics;
    private final OracleCatalog catalog;
    private final Registry registry;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<PipelineSpec> specs;
    private final Thread follower;
    private volatile boolean running = true;

    // guarded by this
    private final Map<String, PipelineSpec> wanted = new HashMap<>();
    private final Set<OracleId> held = new HashSet<>();
    private final Map<String, Fill> fills = new HashMap<>();
    /** Sources whose fill was asked to stop and is not awaited yet: none starts again meanwhile. */
    private final Set<String> stopping = new HashSet<>();
    /** The end each pipeline's source was filled up to (or failed at for good), so it is not filled again. */
    private final Map<String, Long> finished = new HashMap<>();

    BacktestSources(PessimismConfig config, Topics topics, OracleCatalog catalog, Registry registry) {
        this.config = config;
        this.topics = topics;
        this.catalog = catalog;
        this.registry = registry;
        Properties props = config.kafka().asProperties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.namespace() + ".oracles.backtest-sources");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.specs = topics.pipelines().valueSerde().deserializer();
        this.follower = new Thread(this::follow, "pessimism-backtest-sources");
        follower.setDaemon(true);
    }

    /** Creates {@code <ns>.pipelines} when the ETL has not yet, and follows it from its beginning. */
    BacktestSources start() {
        TopicAdmin.ensure(config.kafka(), config.kafkaReplicationFactor(), topics.pipelines());
        TopicPartition partition = new TopicPartition(topics.pipelines().name(), 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        follower.start();
        return this;
    }

    /** This process now runs oracle {@code id}: it fills the sources of the backtests reading it. */
    void acquired(OracleId id) {
        synchronized (this) {
            held.add(id);
        }
        settle();
    }

    /** Another process runs oracle {@code id} from now on, and fills its backtests' sources: stopped here first. */
    void released(OracleId id) {
        synchronized (this) {
            held.remove(id);
        }
        settle();
    }

    /**
     * Reconciles until nothing more stops: the fills asked to stop are awaited outside the lock (a fill
     * ending takes it), and only then may a fill of the same source start again (its end moved), so two
     * writers of one source never overlap (the second would fence the first, or be fenced by it).
     */
    private void settle() {
        Map<String, Fill> stopped;
        synchronized (this) {
            stopped = reconcile();
        }
        while (!stopped.isEmpty()) {
            stopped.values().forEach(Fill::await);
            synchronized (this) {
                stopping.removeAll(stopped.keySet());
                stopped = reconcile();
            }
        }
    }

    private void follow() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    apply(record.key(), decode(record));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("following {} stopped: no backtest source is filled from now on", topics.pipelines().name(), e);
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private Optional<PipelineSpec> decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return Optional.empty(); // a deleted pipeline
        }
        try {
            return Optional.of(specs.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            log.warn("{}@{} (key {}): not a pipeline spec, skipped: {}", record.topic(), record.offset(), record.key(),
                    e.toString());
            return Optional.empty();
        }
    }

    private void apply(String puuid, Optional<PipelineSpec> next) {
        Fill running;
        synchronized (this) {
            PipelineSpec current = wanted.get(puuid);
            if (next.isPresent() && current != null && next.get().getRevision() < current.getRevision()) {
                return; // an older revision the compacted topic still holds
            }
            if (next.isPresent() && fillable(next.get())) {
                wanted.put(puuid, next.get());
            } else {
                wanted.remove(puuid);
            }
            running = fills.get(puuid);
        }
        settle();
        boolean removed = next.isEmpty() || next.get().getDesiredState() == DesiredState.REMOVED;
        if (removed && running != null) {
            deleteSource(running.topic); // stopped by now
        }
    }

    private static boolean fillable(PipelineSpec spec) {
        return spec.getOwnSource() && spec.getType() == PipelineType.BACKTEST && spec.getEndHeight() != null
                && (spec.getDesiredState() == DesiredState.RUNNING || spec.getDesiredState() == DesiredState.PAUSED);
    }

    /**
     * Starts the fill of every wanted source of a held oracle not filled yet to its spec's end (unless
     * its previous fill is still stopping), and asks every other fill to stop.
     *
     * @return the fills asked to stop, by PUUID, for the caller to await once it has let go of this lock
     */
    private Map<String, Fill> reconcile() {
        Map<String, Fill> stopped = new HashMap<>();
        for (Map.Entry<String, Fill> entry : Map.copyOf(fills).entrySet()) {
            PipelineSpec spec = wanted.get(entry.getKey());
            Fill fill = entry.getValue();
            if (spec == null || !held.contains(fill.oracle) || spec.getEndHeight() != fill.end) {
                fill.thread.interrupt();
                fills.remove(entry.getKey());
                stopping.add(entry.getKey());
                stopped.put(entry.getKey(), fill);
            }
        }
        for (PipelineSpec spec : wanted.values()) {
            String puuid = spec.getPuuid();
            if (fills.containsKey(puuid) || stopping.contains(puuid)
                    || Long.valueOf(spec.getEndHeight()).equals(finished.get(puuid))) {
                continue;
            }
            OracleId oracle = oracleOf(spec);
            if (held.contains(oracle)) {
                fills.put(puuid, start(spec, oracle));
            }
        }
        return stopped;
    }

    private OracleId oracleOf(PipelineSpec spec) {
        Network network = Network.parse(spec.getNetwork());
        return new OracleId(network, registry.resolve(spec.getRegister(), network).triggerSource().register());
    }

    private Fill start(PipelineSpec spec, OracleId oracle) {
        String topic = topics.names().source(spec.getPrefix());
        Fill fill = new Fill(spec.getPuuid(), oracle, spec.getStartHeight(), spec.getEndHeight(), topic);
        fill.thread.start();
        return fill;
    }

    /**
     * The oracle's routine with final blocks only: a source holds no block a reorg within the window
     * could still retract.
     */
    private Optional<BackTestRoutine> routine(OracleId oracle) {
        OracleSettings live = OracleSettings.builder(config, oracle.network()).build();
        OracleSettings settings = OracleSettings.builder(config, oracle.network())
                .confirmations(Math.max(live.confirmations(), live.reorgWindow())).build();
        return catalog.find(oracle.register().name())
                .flatMap(definition -> definition.backTestRoutine(new OracleContext(oracle, settings, topics)));
    }

    private synchronized void ended(Fill fill) {
        fills.remove(fill.puuid, fill);
    }

    private synchronized void finished(Fill fill, long end) {
        if (fills.get(fill.puuid) == fill) {
            fills.remove(fill.puuid);
            finished.put(fill.puuid, end);
        }
    }

    private void deleteSource(String topic) {
        try (Admin admin = Admin.create(config.kafka().properties())) {
            admin.deleteTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.info("deleted {}: its backtest was removed", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                log.warn("could not delete {} of a removed backtest: {}", topic, e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("could not delete {} of a removed backtest within {}", topic, ADMIN_TIMEOUT);
        }
    }

    /** Idempotent: stops following and every fill (each resumes where it committed in the next holder). */
    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            follower.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Fill> stopping;
        synchronized (this) {
            stopping = List.copyOf(fills.values());
            fills.clear();
        }
        stopping.forEach(fill -> fill.thread.interrupt());
        stopping.forEach(Fill::await);
    }

    /** One source being filled, on a thread of its own; interrupting it stops the routine. */
    private final class Fill {
        private final String puuid;
        private final OracleId oracle;
        private final long end;
        private final String topic;
        private final Thread thread;

        Fill(String puuid, OracleId oracle, long start, long end, String topic) {
            this.puuid = puuid;
            this.oracle = oracle;
            this.end = end;
            this.topic = topic;
            this.thread = new Thread(() -> run(start), "backtest-source-" + topic);
            thread.setDaemon(true);
        }

        private void run(long start) {
            LogContext.pipeline(puuid);
            Optional<BackTestRoutine> routine = routine(oracle);
            if (routine.isEmpty()) {
                log.error("backtest {}: oracle {} has no BackTestRoutine, so {} stays empty", puuid, oracle, topic);
                finished(this, end);
                return;
            }
            try {
                log.info("backtest {}: filling {} with blocks {}..{} of {}", puuid, topic, start, end, oracle);
                OracleStatus status = routine.get().run(start, end, topic);
                if (status.state() == OracleState.DONE) {
                    log.info("backtest {}: {} holds blocks {}..{}", puuid, topic, start, end);
                    finished(this, end);
                } else if (status.state() == OracleState.FAILED) {
                    log.error("backtest {}: filling {} failed for good: {}", puuid, topic, status.lastError().orElse("no reason given"));
                    finished(this, end);
                }
            } catch (InterruptedException e) {
                log.info("backtest {}: stopped filling {}", puuid, topic);
            } catch (RuntimeException e) {
                log.error("backtest {}: filling {} failed; filled again when the lease or the pipeline changes", puuid,
                        topic, e);
                ended(this);
            }
        }

        /** Waits for an interrupted fill to stop: its routine closes its producer within its grace. */
        void await() {
            try {
                thread.join(Duration.ofSeconds(35).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
