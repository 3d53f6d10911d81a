package io.pessimism.oracle.balance;

import io.pessimism.oracle.OracleMeters;
import io.pessimism.oracle.OracleRunner;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AccountBalance oracle's live routine (the seed's "Geth Account Balance Oracle Register",
 * addressable): driven by the block topic, it reads the exact wei balance of every address watched
 * on its network at each block's hash and publishes, exactly once and in block order, a record
 * when a balance changed or an address became newly watched; a retracted block's records are
 * retracted. Its sessions ({@link BalanceSessions}) run on the shared {@link OracleRunner}.
 */
public final class AccountBalanceOracle implements ReadRoutine {

    private static final Logger log = LoggerFactory.getLogger(AccountBalanceOracle.class);

    private final OracleSettings settings;
    private final BalanceTopics topics;
    private final NodeClient node;
    private final OracleRunner runner;
    private final AtomicReference<BalanceStageTimes> times = new AtomicReference<>(BalanceStageTimes.ZERO);

    /**
     * @param registry resolves the pipelines named in interests, to serve those reading this oracle
     */
    public AccountBalanceOracle(OracleSettings settings, BalanceTopics topics, Registry registry) {
        this.settings = settings;
        this.topics = topics;
        Register register = Registers.ACCOUNT_BALANCE;
        String name = topics.output().name();
        this.node = NodeClient.connect(settings.rpcUrl(), settings.network().label(),
                NodeHttpClients.create(Duration.ofSeconds(5), settings.requestTimeout(), settings.concurrency() + 2));
        AtomicReference<OracleStatus> status = new AtomicReference<>(
                OracleStatus.starting(settings.network().label(), name));
        BalanceReader reader = new BalanceReader(node, settings.batchSize(), settings.concurrency(), name);
        BalanceOracleParts parts = new BalanceOracleParts(name, settings, topics, node, reader, status, times,
                new OracleMeters(settings.network().label(), register.name(), BalanceStageTimes.STAGES));
        this.runner = new OracleRunner(name, register.name(), status, settings.backoff(), new BalanceSessions(parts, register, registry));
    }

    public BalanceTopics topics() {
        return topics;
    }

    /** Where this instance's time went so far, per stage (the balance benchmark reads it). */
    public BalanceStageTimes stageTimes() {
        return times.get();
    }

    @Override
    public void start() {
        log.info("starting the AccountBalance oracle of {} from {}: {} -> {}", settings.network().label(),
                settings.rpcUrl(), topics.blocks().name(), topics.output().name());
        runner.start();
    }

    @Override
    public OracleStatus status() {
        return runner.status();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return runner.awaitTermination(timeout);
    }

    @Override
    public void close() {
        try {
            runner.close();
        } finally {
            node.close();
        }
    }
}
