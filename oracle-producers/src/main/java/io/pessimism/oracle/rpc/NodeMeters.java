package io.pessimism.oracle.rpc;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How long a node takes to answer, per JSON-RPC method (a batch counts once, under its first
 * call's method) and outcome: {@code pessimism_node_request_seconds{network, node, method, outcome}}
 * with histogram buckets, in Micrometer's global registry (see {@code OracleMeters}). {@code node} is
 * the URL's host and port only: a node URL's path or user info may hold an API key.
 */
public final class NodeMeters {

    private final Tags tags;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    NodeMeters(String network, String url) {
        this.tags = Tags.of("network", network, "node", label(url));
    }

    /** {@code host:port} of a node URL, or {@code unknown}: how meters and messages name a node. */
    public static String label(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() == null ? "unknown" : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }

    /** Records a request that took from {@code startedNanos} ({@link System#nanoTime}) until now. */
    void record(String method, boolean ok, long startedNanos) {
        long nanos = System.nanoTime() - startedNanos;
        timers.computeIfAbsent(method + (ok ? "" : "!"), key -> Timer.builder("pessimism.node.request")
                .description("Time a node took to answer a request (a batch counts once)")
                .tags(tags.and("method", method, "outcome", ok ? "ok" : "error"))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(Metrics.globalRegistry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
