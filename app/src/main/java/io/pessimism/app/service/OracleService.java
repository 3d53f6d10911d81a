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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The oracles of one process: a GethBlock oracle per enabled network, each writing its
 * {@code <ns>.<network>.geth_block} topic. A second process running the same oracle fences this one
 * (fixed transactional.id), so two copies never both write.
 */
public final class OracleService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OracleService.class);

    /** How often the oracles' status reaches {@code <ns>.oracle-status}. */
    private static final Duration STATUS_INTERVAL = Duration.ofSeconds(2);

    private final Map<Network, GethBlockOracle> oracles = new LinkedHashMap<>();
    private final PessimismConfig config;
    private final Topics topics;
    private OracleHealthPublisher health;

    public OracleService(PessimismConfig config, Topics topics) {
        this.config = config;
        this.topics = topics;
        for (Network network : config.enabledNetworks()) {
            OracleSettings settings = OracleSettings.builder(config, network).build();
            oracles.put(network, new GethBlockOracle(settings, topics.blocks(network)));
        }
    }

    public OracleService start() {
        oracles.forEach((network, oracle) -> {
            oracle.start();
            log.info("GethBlock oracle for {} started: {} -> {}", network.label(),
                    oracle.settings().rpcUrl(), oracle.topic().name());
        });
        health = new OracleHealthPublisher(config.kafkaBootstrapServers(), config.kafkaReplicationFactor(),
                topics.oracleStatus(), this::statusesByRegister).start(STATUS_INTERVAL);
        return this;
    }

    private List<OracleHealthPublisher.Reported> statusesByRegister() {
        return oracles.values().stream()
                .map(o -> new OracleHealthPublisher.Reported(Registers.GETH_BLOCK.name(), o.status()))
                .toList();
    }

    public Map<Network, OracleStatus> statuses() {
        Map<Network, OracleStatus> out = new LinkedHashMap<>();
        oracles.forEach((network, oracle) -> out.put(network, oracle.status()));
        return out;
    }

    /** The oracles that stopped for good (fenced, reorg deeper than the window, bad topic). */
    public List<OracleStatus> failed() {
        List<OracleStatus> out = new ArrayList<>();
        for (OracleStatus status : statuses().values()) {
            if (status.state() == OracleState.FAILED) {
                out.add(status);
            }
        }
        return out;
    }

    @Override
    public void close() {
        oracles.values().forEach(GethBlockOracle::close);
        if (health != null) {
            health.close(); // after the oracles: their final state is the last one published
        }
    }
}
