package io.pessimism.app.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleId;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.rpc.NodeMeters;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The oracles' status as Prometheus meters, under the original pessimism names where they exist:
 * {@code pessimism_node_errors_total}, {@code pessimism_oracle_head}, {@code pessimism_oracle_node_head},
 * {@code pessimism_oracle_lag_blocks}, {@code pessimism_oracle_reorgs_total}, tagged by network and
 * register and {@code node} (the RPC URL's host and port); NaN for an oracle that runs in another process.
 * The oracles' own meters, recorded where the work happens in Micrometer's global registry, reach
 * {@code registry} by joining it to the global one: each stage of an oracle's loop as a timer,
 * {@code pessimism_oracle_stage_seconds{stage}} ({@code OracleMeters}; {@code rate()} of a stage's sum
 * over the sum of its register's stages is that stage's share), the node's answers as
 * {@code pessimism_node_request_seconds{method, outcome}} ({@code NodeMeters}), and the oracles'
 * Kafka producers' and consumers' metrics ({@code kafka_producer_*}, {@code kafka_consumer_*}).
 */
public final class OracleMetrics {

    private OracleMetrics() {}

    /** @param nodeOf the node an oracle of a network reads (its RPC URL), tagged {@code node} without path or credentials */
    public static void bind(MeterRegistry registry, OracleService oracles, Function<Network, String> nodeOf) {
        Metrics.addRegistry(registry);
        for (OracleId id : oracles.oracles()) {
            Tags tags = Tags.of("network", id.network().label(), "register", id.register().name(),
                    "node", node(nodeOf.apply(id.network())));
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

    /** {@code host:port} of a node URL: its path and user info may hold an API key. */
    static String node(String url) {
        return NodeMeters.label(url);
    }

    private static double status(OracleService oracles, OracleId id, ToDoubleFunction<OracleStatus> value) {
        OracleStatus status = oracles.statuses().get(id);
        return status == null ? Double.NaN : value.applyAsDouble(status);
    }
}
