package io.pessimism.app.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.rpc.NodeAddress;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The oracles' status as Prometheus meters, under the original pessimism names where they exist:
 * {@code pessimism_node_errors_total}, {@code pessimism_oracle_head}, {@code pessimism_oracle_node_head},
 * {@code pessimism_oracle_lag_blocks}, {@code pessimism_oracle_reorgs_total}, tagged by network and
 * register and {@code node} (the RPC URL's host and port); NaN for an oracle that runs in another process.
 * Where each oracle's time goes, {@code pessimism_oracle_stage_seconds_total{stage}}: the seconds its
 * routine spent in each stage of its loop ({@link OracleService#timeByStage}), summed cheaply in the
 * loop; {@code rate()} of one over the sum of its register's stages is that stage's share.
 */
public final class OracleMetrics {

    private OracleMetrics() {}

    /** @param nodeOf the node an oracle of a network reads (its RPC URL), tagged {@code node} without path or credentials */
    public static void bind(MeterRegistry registry, OracleService oracles, Function<Network, String> nodeOf) {
        for (OracleId id : oracles.oracles()) {
            Tags tags = Tags.of("network", id.network().label(), "register", id.register().name(),
                    "node", NodeAddress.of(nodeOf.apply(id.network())));
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
            for (String stage : oracles.stages(id)) {
                FunctionCounter.builder("pessimism.oracle.stage", oracles, o -> seconds(o.timeByStage(id).get(stage)))
                        .description("Seconds the oracle spent in a stage of its loop since it started here")
                        .baseUnit("seconds").tags(tags.and("stage", stage)).register(registry);
            }
        }
    }

    private static void gauge(MeterRegistry registry, String name, String description, OracleService oracles,
                              OracleId id, Tags tags, ToDoubleFunction<OracleStatus> value) {
        Gauge.builder(name, oracles, o -> status(o, id, value)).description(description).tags(tags)
                .register(registry);
    }

    private static double seconds(Duration time) {
        return time == null ? 0 : time.toNanos() / 1e9;
    }

    private static double status(OracleService oracles, OracleId id, ToDoubleFunction<OracleStatus> value) {
        OracleStatus status = oracles.statuses().get(id);
        return status == null ? Double.NaN : value.applyAsDouble(status);
    }
}
