package io.pessimism.oracle.balance;

import io.pessimism.oracle.BackTestRoutine;
import io.pessimism.oracle.OracleRunner;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The AccountBalance oracle's BackTestRoutine: the balance history of a range, read from the node (an
 * archive node for old blocks) into a given topic (a backtest's {@code <prefix>.source}). For each block
 * of {@code [start, end]} it reads, at the block's hash, the balance of every address watched at that
 * block ({@code <ns>.state}, as the live oracle: every pipeline reading this oracle) and writes a record
 * by the live oracle's rule ({@link BalanceLedger}: a balance changed, or an address became effective),
 * each transaction ending with a progress mark. Only blocks {@code confirmations} deep are read, so give
 * it at least the reorg window to write final blocks only; it resumes from its topic after any stop
 * ({@link BalanceHistorySessions}).
 */
public final class AccountBalanceBackTest implements BackTestRoutine {

    private final OracleSettings base;
    private final BalanceTopics topics;
    private final Registry registry;

    /**
     * @param base     the network's oracle settings; the range is replaced per run
     * @param topics   the network's balance topics, whose state it reads and whose output's serdes and
     *                 configs the backtest's topic takes
     * @param registry resolves the pipelines named in interests, to serve those reading this oracle
     */
    public AccountBalanceBackTest(OracleSettings base, BalanceTopics topics, Registry registry) {
        this.base = base;
        this.topics = topics;
        this.registry = registry;
    }

    @Override
    public OracleStatus run(long startHeight, long endHeight, String topic) throws InterruptedException {
        OracleSettings settings = base.bounded(startHeight, endHeight);
        BalanceTopics into = topics.into(topic);
        NodeClient node = NodeClient.connect(settings.rpcUrl(), settings.network().label(),
                NodeHttpClients.create(Duration.ofSeconds(5), settings.requestTimeout(), settings.concurrency() + 2));
        AtomicReference<OracleStatus> status = new AtomicReference<>(
                OracleStatus.starting(settings.network().label(), topic));
        BalanceReader reader = new BalanceReader(node, settings.batchSize(), settings.concurrency(), topic);
        BalanceHistorySessions sessions = new BalanceHistorySessions(settings, into, node, reader, status,
                () -> new WatchList(settings.network(), Registers.ACCOUNT_BALANCE, registry));
        try {
            return BackTestRoutine.untilItEnds(new OracleRunner(topic, Registers.ACCOUNT_BALANCE.name(), status,
                    settings.backoff(), settings.errorBudget(), sessions));
        } finally {
            node.close();
        }
    }
}
