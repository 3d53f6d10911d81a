package io.pessimism.app.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.app.service.OracleHttp;
import io.pessimism.app.service.OracleMetrics;
import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.topic.BrokerCheck;
import java.time.Duration;
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
        try (OracleService oracles = new OracleService(cfg, ServiceContext.of(cfg).requireBrokers().topics());
             Admin admin = Admin.create(cfg.kafka().properties())) {
            StopSignal stop = new StopSignal("oracles", oracles);
            oracles.start();
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            OracleMetrics.bind(metrics, oracles, n -> cfg.network(n).rpcUrl());
            http = OracleHttp.start(cfg.oraclesHttpHost(), cfg.oraclesHttpPort(), () -> notReady(oracles, admin, cfg),
                    metrics);
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

    /** Why the service is not ready: the broker unreachable, or an oracle that failed for good. */
    private static Optional<String> notReady(OracleService oracles, Admin admin, PessimismConfig cfg) {
        Map<OracleId, OracleStatus> failed = oracles.failed();
        if (!failed.isEmpty()) {
            return Optional.of("failed: " + failed.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue().lastError().orElse("?") + ")").toList());
        }
        return BrokerCheck.problem(admin, cfg.kafkaBootstrapServers(), Duration.ofSeconds(2));
    }

    static void logStatus(OracleId id, OracleStatus s) {
        log.info("oracle {} {}: head {} node {} lag {} node-errors {} reorgs {}{}", id, s.state(),
                s.oracleHead(), s.nodeHead(), s.lag(), s.nodeErrors(), s.reorgs(),
                s.lastError().map(e -> " last error: " + e).orElse(""));
    }
}
