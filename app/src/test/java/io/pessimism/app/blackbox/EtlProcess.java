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

/**
 * {@code pessimism etl} as its own JVM ({@code -Xmx512m}) on a fixed API port and state directory,
 * so a test can SIGKILL it and start it again on the same state; ready when {@code /ready} says so.
 *
 * @param process the JVM
 * @param apiUrl  its REST API
 */
public record EtlProcess(ChildProcess process, String apiUrl) {

    /**
     * Starts the ETL of {@code namespace} with layer2 disabled and the extra {@code settings}
     * ({@code key=value}); returns once it is ready.
     */
    public static EtlProcess start(String bootstrapServers, String registryUrl, String namespace, int apiPort, Path tmp,
            List<String> settings) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.pessimism.avro",
                "-cp", System.getProperty("java.class.path"),
                "io.pessimism.app.Main", "etl",
                "--bootstrap-servers", bootstrapServers,
                "--schema-registry-url", registryUrl,
                "--namespace", namespace,
                "--set", "api.port=" + apiPort,
                "--set", "state.dir=" + tmp.resolve("etl-state"),
                "--set", "networks.layer2.enabled=false"));
        settings.forEach(setting -> command.addAll(List.of("--set", setting)));
        ChildProcess process = ChildProcess.start("pessimism etl", command, tmp.resolve("etl.log"));
        EtlProcess etl = new EtlProcess(process, "http://127.0.0.1:" + apiPort);
        process.awaitReady(Duration.ofSeconds(60), etl::ready);
        return etl;
    }

    public boolean ready() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(apiUrl + "/ready"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200;
    }

    /** SIGKILL: no shutdown hook, no flush, no commit. */
    public void kill() {
        process.kill();
    }

    public void stop() {
        process.stop(Duration.ofSeconds(30));
    }
}
