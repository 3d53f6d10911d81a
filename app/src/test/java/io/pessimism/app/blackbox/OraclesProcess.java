package io.pessimism.app.blackbox;

import io.pessimism.testkit.process.ChildProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * {@code pessimism oracles} for layer1 alone as its own JVM, polling the node every 100 ms, so a
 * test can SIGKILL it and start it again; ready when its {@code /ready} says so.
 *
 * @param process the JVM
 * @param httpUrl its {@code /health}, {@code /ready} and {@code /metrics}
 */
public record OraclesProcess(ChildProcess process, String httpUrl) {

    /** Starts the layer1 oracles of {@code namespace} with a heap of {@code heap}; returns once ready. */
    public static OraclesProcess start(String heap, String bootstrapServers, String registryUrl, String namespace,
            String rpcUrl, int httpPort, Path log) {
        return start(heap, bootstrapServers, registryUrl, namespace, rpcUrl, httpPort, log, List.of());
    }

    /** As {@link #start(String, String, String, String, String, int, Path)}, with more {@code key=value} settings. */
    public static OraclesProcess start(String heap, String bootstrapServers, String registryUrl, String namespace,
            String rpcUrl, int httpPort, Path log, List<String> settings) {
        List<String> args = new ArrayList<>(List.of("oracles",
                "--bootstrap-servers", bootstrapServers,
                "--schema-registry-url", registryUrl,
                "--namespace", namespace,
                "--set", "networks.layer1.rpc-url=" + rpcUrl,
                "--set", "networks.layer1.poll-interval=100ms",
                "--set", "networks.layer2.enabled=false",
                "--set", "oracles.http.port=" + httpPort));
        settings.forEach(setting -> args.addAll(List.of("--set", setting)));
        String httpUrl = "http://127.0.0.1:" + httpPort;
        return new OraclesProcess(ServiceJvm.startReady("pessimism oracles", ServiceJvm.command(heap, args), log,
                httpUrl + "/ready"), httpUrl);
    }

    /**
     * The highest block the layer1 oracle of {@code register} committed, as this process's
     * {@code pessimism_oracle_head} says: -1 while it runs here but has committed nothing yet, empty
     * while it runs in another process (the gauge is NaN).
     */
    public OptionalLong layer1Head(String register) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(httpUrl + "/metrics"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("pessimism_oracle_head{") && line.contains("network=\"layer1\"")
                    && line.contains("register=\"" + register + "\"")) {
                double head = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                return Double.isNaN(head) ? OptionalLong.empty() : OptionalLong.of((long) head);
            }
        }
        throw new IllegalStateException("no pessimism_oracle_head of layer1 " + register + " on " + httpUrl
                + "/metrics");
    }

    /** SIGKILL: no shutdown hook, no abort; the open transaction is left to the next instance. */
    public void kill() {
        process.kill();
    }

    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }
}
