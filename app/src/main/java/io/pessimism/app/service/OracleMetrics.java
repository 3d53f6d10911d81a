package io.pessimism.app.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleStatus;
import java.util.function.ToDoubleFunction;

/**
 * The oracles' status as Prometheus meters, under the original pessimism names where they exist:
 * {@code pessimism_node_errors_total}, {@code pessimism_oracle_head}, {@code pessimism_oracle_node_head},
 * {@code pessimism_oracle_lag_blocks}, {@code pessimism_oracle_reorgs_total}, tagged by network and
 * register; NaN for an oracle that runs in another process.
 */
public final class OracleMetrics {

    private OracleMetrics() {}

    public static void bind(MeterRegistry registry, OracleService oracles) {
        for (OracleId id : oracles.oracles()) {
            Tags tags = Tags.of("network", id.network().label(), "register", id.register().name());
            gauge(registry, "pessimism.oracle.head", "Highest block committed to the oracle topic", oracles, id, tags,
                    OracleStatus::oracleHead);
            gauge(registry, "pessimism.oracle.node.head", "The node's head at the oracle's last look", oracles, id,
                    tags, OracleStatus::nodeHead);
            gauge(registry, "pessimism.oracle.lag.blocks", "Blocks the oracle is behind the node", oracles, id, tags,
                    OracleStatus::lag);
            FunctionCounter.builder("pessimism.node.errors", oracles, o -> status(o, id, OracleStatus::nodeErrors))
                    .description("Failed node calls, each backed off and retried").tags(tags).register(registry);
            FunctionCounter.builder("pessimism.oracle.reorgs", oracles, o -> status(o, id, OracleStatus::reorgs))
                    .description("Reorgs the oracle retracted").tags(tags).register(registry);
        }
    }

    private static void gauge(MeterRegistry registry, String name, String description, OracleService oracles,
                              OracleId id, Tags tags, ToDoubleFunction<OracleStatus> value) {
        Gauge.builder(name, oracles, o -> status(o, id, value)).description(description).tags(tags)
                .register(registry);
    }

    private static double status(OracleService oracles, OracleId id, ToDoubleFunction<OracleStatus> value) {
        OracleStatus status = oracles.statuses().get(id);
        return status == null ? Double.NaN : value.applyAsDouble(status);
    }
}
