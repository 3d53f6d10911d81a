package io.pessimism.app.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.api.Readiness;
import io.pessimism.app.service.NodeCheck;
import io.pessimism.app.service.OracleHttp;
import io.pessimism.app.service.OracleMetrics;
import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.topic.BrokerCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "oracles", mixinStandardHelpOptions = true,
        description = {"Run every oracle on every enabled network: each follows its network's node and "
                + "publishes its register's records to <ns>.<network>.<register>, transactionally (geth_block: "
                + "blocks with their logs); after any stop it resumes from Kafka. Several processes share the "
                + "oracles: each runs in exactly one of them (leases on <ns>.oracle-leases).",
                "Stops cleanly on SIGTERM/Ctrl-C; exits 1 when an oracle fails for good "
                + "(fenced by another copy, reorg deeper than the window).",
                "Serves GET /health, /ready and /metrics (Prometheus) on oracles.http.host:oracles.http.port."})
public final class OraclesCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(OraclesCommand.class);
    /** How long one /ready check waits for the brokers, the registry or a node. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(2);

    @Mixin
    ConfigOptions config;

    /** Its /health, /ready and /metrics, once the oracles started. */
    private OracleHttp http;

    @Option(names = "--status-interval", defaultValue = "30s",
            description = "How often each oracle's status (head, node head, lag, errors) is logged (default: ${DEFAULT-VALUE}).")
    String statusInterval;

    @Override
    public Integer call() throws InterruptedException {
        Duration every = Durations.parse("--status-interval", statusInterval);
        PessimismConfig cfg = config.load();
        log.info("configuration:\n{}", cfg.describe());
        ServiceContext context = ServiceContext.of(cfg).requireBrokers();
        try (OracleService oracles = new OracleService(cfg, context.topics());
             Admin admin = Admin.create(cfg.kafka().properties())) {
            StopSignal stop = new StopSignal("oracles", oracles);
            oracles.start();
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            OracleMetrics.bind(metrics, oracles, n -> cfg.network(n).rpcUrl());
            http = OracleHttp.start(cfg.oraclesHttpHost(), cfg.oraclesHttpPort(),
                    readiness(oracles, admin, context), metrics);
            while (!stop.await(every)) {
                oracles.statuses().forEach(OraclesCommand::logStatus);
                Map<OracleId, OracleStatus> failed = oracles.failed();
                if (!failed.isEmpty()) {
                    failed.forEach((id, s) -> log.error("oracle {} failed: {}", id, s.lastError().orElse("?")));
                    return 1;
                }
            }
        } finally {
            if (http != null) {
                http.close();
            }
        }
        return 0;
    }

    /**
     * Ready when the brokers, the registry and every enabled network's node answer, and no oracle of
     * this process failed for good. A process holding no lease is ready: a standby.
     */
    static Readiness readiness(OracleService oracles, Admin admin, ServiceContext context) {
        PessimismConfig cfg = context.config();
        NodeCheck nodes = new NodeCheck(cfg.enabledNetworks(), n -> cfg.network(n).rpcUrl(), READY_TIMEOUT);
        return new Readiness(List.of(
                new Readiness.Check("kafka", () -> BrokerCheck.problem(admin, cfg.kafkaBootstrapServers(),
                        READY_TIMEOUT)),
                new Readiness.Check("schema-registry", () -> context.registry().problem(READY_TIMEOUT)),
                new Readiness.Check("nodes", nodes::problem),
                new Readiness.Check("oracles", () -> failed(oracles))));
    }

    private static Optional<String> failed(OracleService oracles) {
        Map<OracleId, OracleStatus> failed = oracles.failed();
        return failed.isEmpty() ? Optional.empty() : Optional.of("failed: " + failed.entrySet().stream()
                .map(e -> e.getKey() + " (" + e.getValue().lastError().orElse("?") + ")").toList());
    }

    static void logStatus(OracleId id, OracleStatus s) {
        log.info("oracle {} {}: head {} node {} lag {} node-errors {} reorgs {}{}", id, s.state(),
                s.oracleHead(), s.nodeHead(), s.lag(), s.nodeErrors(), s.reorgs(),
                s.lastError().map(e -> " last error: " + e).orElse(""));
    }
}
