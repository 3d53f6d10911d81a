package io.pessimism.app.blackbox;

import io.pessimism.testkit.process.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pessimism etl} as its own JVM on a fixed API port and state directory, so a test can
 * SIGKILL it and start it again on the same state; ready when {@code /ready} says so.
 *
 * @param process the JVM
 * @param apiUrl  its REST API
 */
public record EtlProcess(ChildProcess process, String apiUrl) {

    /**
     * Starts the ETL of {@code namespace} ({@code -Xmx512m}) with layer2 disabled and the extra
     * {@code settings} ({@code key=value}); returns once it is ready.
     */
    public static EtlProcess start(String bootstrapServers, String registryUrl, String namespace, int apiPort, Path tmp,
            List<String> settings) {
        return start("512m", bootstrapServers, registryUrl, namespace, apiPort, tmp, settings);
    }

    /** As {@link #start(String, String, String, int, Path, List)} with a heap of {@code heap}. */
    public static EtlProcess start(String heap, String bootstrapServers, String registryUrl, String namespace,
            int apiPort, Path tmp, List<String> settings) {
        List<String> args = new ArrayList<>(List.of("etl",
                "--bootstrap-servers", bootstrapServers,
                "--schema-registry-url", registryUrl,
                "--namespace", namespace,
                "--set", "api.port=" + apiPort,
                "--set", "state.dir=" + tmp.resolve("etl-state"),
                "--set", "networks.layer2.enabled=false"));
        settings.forEach(setting -> args.addAll(List.of("--set", setting)));
        String apiUrl = "http://127.0.0.1:" + apiPort;
        return new EtlProcess(ServiceJvm.startReady("pessimism etl", ServiceJvm.command(heap, args),
                tmp.resolve("etl.log"), apiUrl + "/ready"), apiUrl);
    }

    public boolean ready() throws Exception {
        return ServiceJvm.ready(apiUrl + "/ready");
    }

    /** SIGKILL: no shutdown hook, no flush, no commit. */
    public void kill() {
        process.kill();
    }

    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }
}
