package io.pessimism.api;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.config.PessimismConfig;
import io.pessimism.control.ChainHeads;
import io.pessimism.control.ControlPlaneApp;
import io.pessimism.control.ControlPlaneServices;
import io.pessimism.control.ControlPlaneTopology;
import io.pessimism.control.FollowedHeads;
import io.pessimism.control.PipelineCatalogue;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.network.Network;
import io.pessimism.pipeline.BranchSettings;
import io.pessimism.pipeline.Branches;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.topic.BrokerCheck;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.Topics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETL service's control side (what {@code pessimism etl} and {@code pessimism dev} run): it
 * creates the control topics, starts the control-plane app (the single writer), the reply
 * listener, the reconciler driving the given {@link Branches}, and the REST API. {@link #close()}
 * stops them in reverse order, the branches last. Several instances may share one cluster and
 * namespace: Kafka gives the single writer's task to one of them.
 *
 * <pre>{@code
 * try (EtlService etl = new EtlService(config, registryClient, branches).start()) {
 *     System.out.println("REST API on " + etl.apiUrl());
 * }
 * }</pre>
 */
public final class EtlService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtlService.class);
    /** How long one /ready check waits for the brokers or the registry. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Tunables that are not operator configuration.
     *
     * @param startTimeout   how long start waits for the broker, the control app and the catch-up
     * @param requestTimeout how long a request waits for its reply before a 503
     * @param headMaxAge     how long a chain head read is reused (see {@link ChainHeads}); 1 s by
     *                       default: a read is a broker round trip in the request's path, and an old
     *                       head only assigns a block early, which the single writer raises above
     *                       its interest horizon (a new pipeline starts a block or so earlier)
     */
    public record Options(Duration startTimeout, Duration requestTimeout, Duration headMaxAge) {

        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(1));
        }

        /** The defaults, waiting {@code kafka.start-timeout} for the brokers. */
        public static Options of(PessimismConfig config) {
            Options defaults = defaults();
            return new Options(config.kafkaStartTimeout(), defaults.requestTimeout(), defaults.headMaxAge());
        }
    }

    private final PessimismConfig config;
    private final Branches branches;
    private final Registry registry;
    private final Options options;
    private final Topics topics;
    private final SchemaRegistryClient registryClient;
    private final PipelineCatalogue catalogue = new PipelineCatalogue();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String instance = "etl-" + UUID.randomUUID().toString().substring(0, 8);
    private ApiServer api;

    /** A service over the standard registry with default options; it owns (and closes) {@code branches}. */
    public EtlService(PessimismConfig config, SchemaRegistryClient registryClient, Branches branches) {
        this(config, registryClient, branches, Registry.standard(), Options.of(config));
    }

    public EtlService(PessimismConfig config, SchemaRegistryClient registryClient, Branches branches,
            Registry registry, Options options) {
        this.config = config;
        this.branches = branches;
        this.registry = registry;
        this.options = options;
        this.registryClient = registryClient;
        this.topics = new Topics(config.topicNames(), registryClient, config.oracleTopicRetentionMs());
    }

    /**
     * Starts everything, or fails naming what could not start (an unreachable broker names
     * {@code kafka.bootstrap.servers}); what did start is closed again.
     */
    public EtlService start() {
        try {
            started.push(branches);
            Admin admin = admin();
            started.push(admin);
            BrokerCheck.require(admin, bootstrap(), options.startTimeout());
            TopicAdmin.ensure(admin, config.kafkaReplicationFactor(), topicsToCreate());

            // the horizons follow fresh heads, read off the control plane's thread
            ChainHeads horizonReads = new ChainHeads(config.kafka(), config.topicNames(), Duration.ZERO,
                    instance + ".horizons");
            started.push(horizonReads);
            FollowedHeads horizonHeads = new FollowedHeads(horizonReads, Set.copyOf(config.enabledNetworks()),
                    InterestHorizon.ADVANCE_INTERVAL);
            started.push(horizonHeads);
            ControlPlaneApp controlPlane = new ControlPlaneApp(
                    ControlPlaneTopology.build(topics, registry, config.pipelineLimits(), horizonHeads),
                    config.topicNames().controlApplicationId(), config.kafka(), config.stateDir(),
                    config.kafkaReplicationFactor(), BranchSettings.from(config).instanceId(),
                    config.pipelineSession());
            started.push(controlPlane);
            controlPlane.start(options.startTimeout());
            KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(controlPlane.streams());
            streamsMetrics.bindTo(metrics);
            started.push(streamsMetrics);
            branches.bindMetrics(metrics); // before the reconciler starts any branch

            ControlPlaneServices services = ControlPlaneServices.start(config.kafka(), config.namespace() + "." + instance,
                    topics, branches, catalogue, options.requestTimeout(), options.startTimeout());
            started.push(services);
            ChainHeads heads = new ChainHeads(config.kafka(), config.topicNames(), options.headMaxAge(), instance + ".api");
            started.push(heads);

            PipelineMetrics pipelineMetrics = new PipelineMetrics(metrics, catalogue, branches);
            ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "pipeline-metrics");
                thread.setDaemon(true);
                return thread;
            });
            // a pipeline's meters appear (and go) within a refresh of its spec; scrapes come every 15 s or so
            refresher.scheduleWithFixedDelay(pipelineMetrics::refresh, 0, 2, TimeUnit.SECONDS);
            started.push(refresher::shutdownNow);
            PipelineOperations operations = new PipelineOperations(
                    new RequestValidator(registry, new HashSet<>(config.enabledNetworks())), services.gateway(), heads,
                    catalogue, branches, config.topicNames(), registry, Clock.systemUTC());
            api = new ApiServer(config.api(), operations, readiness(admin, controlPlane, services), metrics);
            started.push(api);
            api.start();
            log.info("ETL service {} started: REST API on {}, namespace {}", instance, api.url(), config.namespace());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The REST API's base URL, {@code http://host:port}. */
    public String apiUrl() {
        if (api == null) {
            throw new IllegalStateException("the ETL service is not started");
        }
        return api.url();
    }

    /** This instance's view of the pipelines. */
    public PipelineCatalogue catalogue() {
        return catalogue;
    }

    /** The metrics served on {@code /metrics}; other components of the process may register theirs. */
    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** Stops the API, the reconciler and listeners, the control app (leaving its group), then the branches. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.warn("closing {} failed", next, e);
            }
        }
        api = null;
    }

    private List<Topic<?, ?>> topicsToCreate() {
        List<Topic<?, ?>> all = new ArrayList<>(List.of(topics.pipelineCommands(), topics.pipelineReplies(),
                topics.pipelines(), topics.pipelineStatus(), topics.state(), topics.oracleStatus()));
        for (Network network : config.enabledNetworks()) {
            all.add(topics.blocks(network)); // read for the chain head; the oracle writes it
        }
        return all;
    }

    /**
     * Ready when the brokers and the registry answer, the control plane runs and has caught up, and
     * every branch of this instance runs or was paused, stopped or finished on purpose (a branch
     * starting or in ERROR is not ready: see docs/runbook.md).
     */
    private Readiness readiness(Admin admin, ControlPlaneApp controlPlane, ControlPlaneServices services) {
        return new Readiness(List.of(
                new Readiness.Check("kafka", () -> BrokerCheck.problem(admin, bootstrap(), READY_TIMEOUT)),
                new Readiness.Check("schema-registry", () -> registryClient.problem(READY_TIMEOUT)),
                new Readiness.Check("control-plane", () -> controlPlane.state() == KafkaStreams.State.RUNNING
                        ? Optional.empty() : Optional.of("control-plane app is " + controlPlane.state())),
                new Readiness.Check("replies", () -> services.repliesReady() ? Optional.empty()
                        : Optional.of("the reply consumer is not assigned")),
                new Readiness.Check("reconciler", () -> services.reconcilerReady() ? Optional.empty()
                        : Optional.of("the reconciler has not read " + topics.pipelines().name() + " yet")),
                new Readiness.Check("branches", branches::notReady)));
    }

    private Admin admin() {
        Properties props = config.kafka().asProperties();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.namespace() + "." + instance + ".admin");
        int timeout = (int) options.startTimeout().toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return Admin.create(props);
    }

    private String bootstrap() {
        return config.kafkaBootstrapServers();
    }

    @Override
    public String toString() {
        return "EtlService[" + instance + ", namespace " + config.namespace() + "]";
    }
}
