package io.pessimism.app.blackbox;

import io.pessimism.testkit.process.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code pessimism oracles} for layer1 alone as its own JVM, polling the node every 100 ms, so a
 * test can SIGKILL it and start it again; ready when its {@code /ready} says so.
 *
 * @param process the JVM
 */
public record OraclesProcess(ChildProcess process) {

    /** Starts the layer1 oracles of {@code namespace} with a heap of {@code heap}; returns once ready. */
    public static OraclesProcess start(String heap, String bootstrapServers, String registryUrl, String namespace,
            String rpcUrl, int httpPort, Path log) {
        List<String> args = List.of("oracles",
                "--bootstrap-servers", bootstrapServers,
                "--schema-registry-url", registryUrl,
                "--namespace", namespace,
                "--set", "networks.layer1.rpc-url=" + rpcUrl,
                "--set", "networks.layer1.poll-interval=100ms",
                "--set", "networks.layer2.enabled=false",
                "--set", "oracles.http.port=" + httpPort);
        return new OraclesProcess(ServiceJvm.startReady("pessimism oracles", ServiceJvm.command(heap, args), log,
                "http://127.0.0.1:" + httpPort + "/ready"));
    }

    /** SIGKILL: no shutdown hook, no abort; the open transaction is left to the next instance. */
    public void kill() {
        process.kill();
    }

    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }
}
