package io.pessimism.app.cli;

import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.oracle.OracleStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "oracles", mixinStandardHelpOptions = true,
        description = {"Run the oracles of every enabled network: the GethBlock oracle follows the node "
                + "and publishes blocks with their logs to <ns>.<network>.geth_block, transactionally; "
                + "after any stop it resumes from its topic.",
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
                oracles.statuses().values().forEach(OraclesCommand::logStatus);
                List<OracleStatus> failed = oracles.failed();
                if (!failed.isEmpty()) {
                    failed.forEach(s -> log.error("oracle for {} failed: {}", s.network(), s.lastError().orElse("?")));
                    return 1;
                }
            }
        }
        return 0;
    }

    static void logStatus(OracleStatus s) {
        log.info("oracle {} {}: head {} node {} lag {} node-errors {} reorgs {}{}", s.network(), s.state(),
                s.oracleHead(), s.nodeHead(), s.lag(), s.nodeErrors(), s.reorgs(),
                s.lastError().map(e -> " last error: " + e).orElse(""));
    }
}
