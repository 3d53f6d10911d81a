package io.pessimism.app.cli;

import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleStatus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
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
                + "(fenced by another copy, reorg deeper than the window)."})
public final class OraclesCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(OraclesCommand.class);

    @Mixin
    ConfigOptions config;

    @Option(names = "--status-interval", defaultValue = "30s",
            description = "How often each oracle's status (head, node head, lag, errors) is logged (default: ${DEFAULT-VALUE}).")
    String statusInterval;

    @Override
    public Integer call() throws InterruptedException {
        Duration every = Durations.parse("--status-interval", statusInterval);
        PessimismConfig cfg = config.load();
        log.info("configuration:\n{}", cfg.describe());
        try (OracleService oracles = new OracleService(cfg, ServiceContext.of(cfg).requireBrokers().topics())) {
            StopSignal stop = new StopSignal("oracles", oracles);
            oracles.start();
            while (!stop.await(every)) {
                oracles.statuses().forEach(OraclesCommand::logStatus);
                Map<OracleId, OracleStatus> failed = oracles.failed();
                if (!failed.isEmpty()) {
                    failed.forEach((id, s) -> log.error("oracle {} failed: {}", id, s.lastError().orElse("?")));
                    return 1;
                }
            }
        }
        return 0;
    }

    static void logStatus(OracleId id, OracleStatus s) {
        log.info("oracle {} {}: head {} node {} lag {} node-errors {} reorgs {}{}", id, s.state(),
                s.oracleHead(), s.nodeHead(), s.lag(), s.nodeErrors(), s.reorgs(),
                s.lastError().map(e -> " last error: " + e).orElse(""));
    }
}
