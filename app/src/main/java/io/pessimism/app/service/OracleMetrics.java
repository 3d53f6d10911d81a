package io.pessimism.app.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleStatus;
import java.util.function.ToDoubleFunction;

/**
 * The oracles' status as Prometheus meters, under the original pessimism names where they exist:
 * {@code pessimism_node_errors_total}, {@code pessimism_oracle_head}, {@code pessimism_oracle_node_head},
 * {@code pessimism_oracle_lag_blocks}, {@code pessimism_oracle_reorgs_total}, tagged by network; NaN for
 * a network whose oracle runs in another process.
 */
public final class OracleMetrics {

    private OracleMetrics() {}

    public static void bind(MeterRegistry registry, OracleService oracles) {
        for (Network network : oracles.networks()) {
            String tag = network.label();
            gauge(registry, "pessimism.oracle.head", "Highest block committed to the oracle topic", oracles, network,
                    OracleStatus::oracleHead);
            gauge(registry, "pessimism.oracle.node.head", "The node's head at the oracle's last look", oracles, network,
                    OracleStatus::nodeHead);
            gauge(registry, "pessimism.oracle.lag.blocks", "Blocks the oracle is behind the node", oracles, network,
                    OracleStatus::lag);
            FunctionCounter.builder("pessimism.node.errors", oracles, o -> status(o, network, OracleStatus::nodeErrors))
                    .description("Failed node calls, each backed off and retried").tag("network", tag).register(registry);
            FunctionCounter.builder("pessimism.oracle.reorgs", oracles, o -> status(o, network, OracleStatus::reorgs))
                    .description("Reorgs the oracle retracted").tag("network", tag).register(registry);
        }
    }

    private static void gauge(MeterRegistry registry, String name, String description, OracleService oracles,
                              Network network, ToDoubleFunction<OracleStatus> value) {
        Gauge.builder(name, oracles, o -> status(o, network, value)).description(description)
                .tag("network", network.label()).register(registry);
    }

    private static double status(OracleService oracles, Network network, ToDoubleFunction<OracleStatus> value) {
        OracleStatus status = oracles.statuses().get(network);
        return status == null ? Double.NaN : value.applyAsDouble(status);
    }
}
