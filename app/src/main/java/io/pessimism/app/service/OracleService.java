package io.pessimism.app.service;

import io.pessimism.config.PessimismConfig;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleHealthPublisher;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.geth.OracleSettings;
import io.pessimism.registry.Registers;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The oracles of one process: the GethBlock oracle of each enabled network whose lease this process
 * holds ({@link OracleLeases}), each writing its {@code <ns>.<network>.geth_block} topic. Several
 * processes may run this service: each network's oracle runs in exactly one of them, and moves to
 * another when its holder stops or dies.
 */
public final class OracleService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OracleService.class);

    /** How often the oracles' status reaches {@code <ns>.oracle-status}. */
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(2);

    /** The oracles this process holds the lease of; guarded by {@code this}. */
    private final Map<Network, GethBlockOracle> running = new TreeMap<>();
    private final PessimismConfig config;
    private final Topics topics;
    private OracleLeases leases;
    private OracleHealthPublisher health;

    public OracleService(PessimismConfig config, Topics topics) {
        this.config = config;
        this.topics = topics;
    }

    public OracleService start() {
        health = new OracleHealthPublisher(config.kafkaBootstrapServers(), config.kafkaReplicationFactor(),
                topics.oracleStatus(), this::statusesByRegister).start(STATUS_INTERVAL);
        leases = new OracleLeases(config.kafkaBootstrapServers(), config.kafkaReplicationFactor(),
                config.namespace() + ".oracles", topics.oracleLeases(), this::acquired, this::released).start();
        return this;
    }

    /** The networks this process may run an oracle for. */
    public List<Network> networks() {
        return config.enabledNetworks();
    }

    private synchronized void acquired(Network network) {
        if (!config.enabledNetworks().contains(network) || running.containsKey(network)) {
            return; // a lease of a network this process does not serve keeps the others from it, harmlessly
        }
        GethBlockOracle oracle = new GethBlockOracle(OracleSettings.builder(config, network).build(),
                topics.blocks(network));
        oracle.start();
        running.put(network, oracle);
        log.info("GethBlock oracle for {} started (lease acquired): {} -> {}", network.label(),
                oracle.settings().rpcUrl(), oracle.topic().name());
        publishQuietly(network, oracle); // readers learn at once which process runs it
    }

    private synchronized void released(Network network) {
        GethBlockOracle oracle = running.remove(network);
        if (oracle != null) {
            oracle.close();
            log.info("GethBlock oracle for {} stopped (lease released)", network.label());
            publishQuietly(network, oracle); // its final state, so the status topic does not keep saying LIVE
        }
    }

    private void publishQuietly(Network network, GethBlockOracle oracle) {
        if (health == null) {
            return;
        }
        try {
            health.publish(List.of(new OracleHealthPublisher.Reported(Registers.GETH_BLOCK.name(), oracle.status())));
        } catch (RuntimeException e) {
            log.warn("could not publish the status of the {} oracle: {}", network.label(), e.toString());
        }
    }

    private List<OracleHealthPublisher.Reported> statusesByRegister() {
        return statuses().values().stream()
                .map(s -> new OracleHealthPublisher.Reported(Registers.GETH_BLOCK.name(), s))
                .toList();
    }

    /** The status of each oracle running in this process. */
    public synchronized Map<Network, OracleStatus> statuses() {
        Map<Network, OracleStatus> out = new TreeMap<>();
        running.forEach((network, oracle) -> out.put(network, oracle.status()));
        return out;
    }

    /** The oracles that stopped for good (fenced, reorg deeper than the window, bad topic). */
    public List<OracleStatus> failed() {
        return statuses().values().stream().filter(s -> s.state() == OracleState.FAILED).toList();
    }

    /** Idempotent: a second close does nothing. */
    @Override
    public void close() {
        if (leases != null) {
            leases.close(); // leaving the group releases (stops) every oracle held
            leases = null;
        }
        for (Network network : List.copyOf(statuses().keySet())) {
            released(network);
        }
        if (health != null) {
            health.close(); // after the oracles: their final state is the last one published
            health = null;
        }
    }
}
