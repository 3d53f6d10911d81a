package io.pessimism.app.service;

import io.pessimism.config.PessimismConfig;
import io.pessimism.oracle.OracleCatalog;
import io.pessimism.oracle.OracleContext;
import io.pessimism.oracle.OracleHealthPublisher;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.registry.Registry;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The oracles of one process: every oracle of the catalogue ({@link OracleCatalog}) on every enabled
 * network, of those whose lease this process holds ({@link OracleLeases}), each writing its
 * {@code <ns>.<network>.<register>} topic. Several processes may run this service: each oracle runs
 * in exactly one of them, and moves to another when its holder stops or dies. The holder of an oracle
 * also fills the own sources of the backtests reading it ({@link BacktestSources}).
 */
public final class OracleService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OracleService.class);

    /** How often the oracles' status reaches {@code <ns>.oracle-status}. */
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(2);

    /** The oracles this process holds the lease of; guarded by {@code this}. */
    private final Map<OracleId, ReadRoutine> running = new TreeMap<>();
    private final PessimismConfig config;
    private final Topics topics;
    private final OracleCatalog catalog;
    private OracleLeases leases;
    private OracleHealthPublisher health;
    private BacktestSources backtests;

    /** The standard oracles ({@link OracleCatalog#standard()}). */
    public OracleService(PessimismConfig config, Topics topics) {
        this(config, topics, OracleCatalog.standard());
    }

    public OracleService(PessimismConfig config, Topics topics, OracleCatalog catalog) {
        this.config = config;
        this.topics = topics;
        this.catalog = catalog;
    }

    public OracleService start() {
        health = new OracleHealthPublisher(config.kafka(), config.kafkaReplicationFactor(),
                topics.oracleStatus(), this::reported).start(STATUS_INTERVAL);
        backtests = new BacktestSources(config, topics, catalog, Registry.standard()).start();
        leases = new OracleLeases(config.kafka(), config.kafkaReplicationFactor(),
                config.namespace() + ".oracles", config.oracleLeaseSession(), topics, catalog, this::acquired,
                this::released).start();
        return this;
    }

    /** The oracles this process may run: every catalogued oracle on every enabled network. */
    public List<OracleId> oracles() {
        return catalog.ids(config.enabledNetworks());
    }

    private synchronized void acquired(OracleId id) {
        if (!oracles().contains(id) || running.containsKey(id)) {
            return; // a lease of an oracle this process does not serve keeps the others from it, harmlessly
        }
        OracleContext context = new OracleContext(id, OracleSettings.builder(config, id.network()).build(), topics);
        ReadRoutine oracle = catalog.get(id).readRoutine(context);
        oracle.start();
        running.put(id, oracle);
        log.info("oracle {} started (lease acquired): {} -> {}", id, context.settings().rpcUrl(),
                oracle.status().topic());
        publishQuietly(id, oracle); // readers learn at once which process runs it
        if (backtests != null) {
            backtests.acquired(id);
        }
    }

    private synchronized void released(OracleId id) {
        if (backtests != null) {
            backtests.released(id);
        }
        ReadRoutine oracle = running.remove(id);
        if (oracle != null) {
            oracle.close();
            log.info("oracle {} stopped (lease released)", id);
            publishQuietly(id, oracle); // its final state, so the status topic does not keep saying LIVE
        }
    }

    private void publishQuietly(OracleId id, ReadRoutine oracle) {
        if (health == null) {
            return;
        }
        try {
            health.publish(List.of(new OracleHealthPublisher.Reported(id, oracle.status())));
        } catch (RuntimeException e) {
            log.warn("could not publish the status of oracle {}: {}", id, e.toString());
        }
    }

    private List<OracleHealthPublisher.Reported> reported() {
        return statuses().entrySet().stream()
                .map(e -> new OracleHealthPublisher.Reported(e.getKey(), e.getValue()))
                .toList();
    }

    /** The status of each oracle running in this process. */
    public synchronized Map<OracleId, OracleStatus> statuses() {
        Map<OracleId, OracleStatus> out = new TreeMap<>();
        running.forEach((id, oracle) -> out.put(id, oracle.status()));
        return out;
    }

    /** The oracles that stopped for good (fenced, reorg deeper than the window, bad topic), with their status. */
    public Map<OracleId, OracleStatus> failed() {
        Map<OracleId, OracleStatus> failed = new TreeMap<>(statuses());
        failed.values().removeIf(s -> s.state() != OracleState.FAILED);
        return failed;
    }

    /** Idempotent: a second close does nothing. */
    @Override
    public void close() {
        if (leases != null) {
            leases.close(); // leaving the group releases (stops) every oracle held
            leases = null;
        }
        if (backtests != null) {
            backtests.close();
            backtests = null;
        }
        for (OracleId id : List.copyOf(statuses().keySet())) {
            released(id);
        }
        if (health != null) {
            health.close(); // after the oracles: their final state is the last one published
            health = null;
        }
    }
}
