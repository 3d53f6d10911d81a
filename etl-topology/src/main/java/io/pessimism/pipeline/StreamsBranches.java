package io.pessimism.pipeline;

import io.pessimism.avro.OracleHealth;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.component.ComponentGraph;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.Topics;
import io.pessimism.topic.Topic;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchDefinition;
import io.pessimism.topology.BranchLayout;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.ReorgWindows;
import io.pessimism.topology.TopologyGenerator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The branch runtime on Kafka Streams: one {@link Branch} (one {@code KafkaStreams}, application id
 * = the prefix) per pipeline prefix, generated from the registry DAG by a {@link TopologyGenerator}.
 * {@link #apply} is idempotent and returns at once; each branch changes state on its own thread,
 * so adding, pausing or removing one never touches another. Status goes to
 * {@code <ns>.pipeline-status} on every change and, while a branch progresses, at most once per
 * {@link BranchSettings#statusInterval()}.
 */
public final class StreamsBranches implements Branches {

    private static final Logger log = LoggerFactory.getLogger(StreamsBranches.class);

    private final Registry registry;
    private final BranchServices services;
    private final Map<String, Branch> branches = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public StreamsBranches(BranchSettings settings, Topics topics, Registry registry, ComponentCatalog catalog) {
        this(settings, topics, registry, catalog, ReorgWindows.declared());
    }

    /** @param reorgWindows the oracles' reorg windows: how far past its end a backtest waits before it is final */
    public StreamsBranches(BranchSettings settings, Topics topics, Registry registry, ComponentCatalog catalog,
            ReorgWindows reorgWindows) {
        this(settings, topics, registry, catalog, reorgWindows, Settings.AGGREGATORS_MAX_WAIT.declaredDefault());
    }

    /**
     * @param reorgWindows      the oracles' reorg windows: how far past its end a backtest waits before it is final
     * @param aggregatorMaxWait how long an aggregator waits for a silent source ({@code aggregators.max-wait})
     */
    public StreamsBranches(BranchSettings settings, Topics topics, Registry registry, ComponentCatalog catalog,
            ReorgWindows reorgWindows, Duration aggregatorMaxWait) {
        this.registry = registry;
        Admin admin = Admin.create(adminProperties(settings));
        StatusBoard status = null;
        try {
            TopicAdmin.ensure(admin, settings.replicationFactor(), topics.pipelineStatus());
            status = new StatusBoard(settings.kafka(), topics.pipelineStatus());
        } catch (RuntimeException e) {
            admin.close();
            throw e;
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "branch-status");
            thread.setDaemon(true);
            return thread;
        });
        this.services = new BranchServices(settings, topics, new TopologyGenerator(catalog, topics, reorgWindows, aggregatorMaxWait), admin, status,
                new StartPosition(admin, settings.kafka()), timer,
                new StartPacer(StartPacer.defaultAtOnce(), StartPacer.MAX_TURN, timer), new SourceHealth(),
                new BranchMetrics());
        long every = settings.statusInterval().toMillis();
        timer.scheduleAtFixedRate(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    /** The production runtime of a configuration, with the standard component catalogue. */
    public static StreamsBranches create(PessimismConfig config, SchemaRegistryClient schemas, Registry registry) {
        return create(config, schemas, registry, ComponentCatalog.standard());
    }

    /** The production runtime of a configuration, with these processor implementations. */
    public static StreamsBranches create(PessimismConfig config, SchemaRegistryClient schemas, Registry registry,
            ComponentCatalog catalog) {
        Topics topics = new Topics(config.topicNames(), schemas, config.oracleTopicRetentionMs());
        return new StreamsBranches(BranchSettings.from(config), topics, registry, catalog, ReorgWindows.of(config),
                config.aggregatorMaxWait());
    }

    @Override
    public void apply(PipelineSpec spec) {
        if (closed) {
            throw new IllegalStateException("the branch runtime is closed; cannot apply pipeline " + spec.getPuuid());
        }
        BranchDefinition definition;
        try {
            definition = BranchDefinition.of(spec, registry);
        } catch (RuntimeException e) {
            // A spec this runtime cannot build is the pipeline's error, not the caller's.
            services.status().report(spec.getPuuid(), PipelineState.ERROR, null, null, Branch.reason(e));
            return;
        }
        branches.computeIfAbsent(definition.prefix(), prefix -> new Branch(prefix, services)).apply(spec, definition);
    }

    @Override
    public void sourceChanged(OracleHealth health) {
        if (services.sources().update(health)) {
            branches.values().forEach(Branch::sourcesChanged);
        }
    }

    @Override
    public Optional<String> cannotCompute(ComponentGraph graph) {
        return services.generator().cannotBuild(graph);
    }

    @Override
    public Optional<BranchLayout> layout(PipelineSpec spec) {
        BranchDefinition definition = BranchDefinition.of(spec, registry);
        TopologyGenerator generator = services.generator();
        String describe = generator.build(definition, new BranchCounters()).describe().toString();
        return Optional.of(new BranchLayout(definition.prefix(),
                generator.sourceTopics(definition).stream().map(Topic::name).toList(),
                services.topics().names().out(definition.prefix()), describe));
    }

    @Override
    public Optional<BranchCounters> counters(PipelineSpec spec) {
        return Optional.ofNullable(branches.get(spec.getPrefix())).map(Branch::counters);
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        services.metrics().bindTo(registry);
    }

    @Override
    public Optional<String> notReady() {
        List<String> problems = branches.values().stream().map(Branch::notReady).flatMap(Optional::stream)
                .sorted().toList();
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    @Override
    public Optional<PipelineStatus> status(String puuid) {
        return services.status().last(puuid);
    }

    /** The branch of a prefix, for tests in this package. */
    Optional<Branch> branch(String prefix) {
        return Optional.ofNullable(branches.get(prefix));
    }

    private void tick() {
        try {
            branches.values().forEach(Branch::tick);
        } catch (RuntimeException e) {
            log.warn("status tick failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        services.pacer().close();
        services.timer().shutdownNow();
        branches.values().parallelStream().forEach(Branch::close);
        services.status().close();
        services.admin().close();
    }

    private static Properties adminProperties(BranchSettings settings) {
        Properties props = settings.kafka().asProperties();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "pessimism-branches-admin");
        return props;
    }
}
