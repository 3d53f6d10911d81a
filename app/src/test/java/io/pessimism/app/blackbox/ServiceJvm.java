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

/** What the services' own JVMs share: the {@code pessimism} command line on the test classpath, and readiness. */
final class ServiceJvm {

    private ServiceJvm() {
    }

    /** {@code java -Xmx<heap> ... io.pessimism.app.Main <args>}. */
    static List<String> command(String heap, List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.pessimism.avro",
                "-cp", System.getProperty("java.class.path"),
                "io.pessimism.app.Main"));
        command.addAll(args);
        return command;
    }

    /** Whether {@code url} answers 200 (a service's {@code /ready}). */
    static boolean ready(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode() == 200;
    }

    /**
     * How long a service's JVM may take to answer {@code /ready}: a few seconds on a quiet machine, but
     * four services starting together while other builds ran (load average 30) took 50-60 s each.
     */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** Starts {@code command} logging to {@code log} and returns once {@code readyUrl} answers 200. */
    static ChildProcess startReady(String name, List<String> command, Path log, String readyUrl) {
        ChildProcess process = ChildProcess.start(name, command, log);
        process.awaitReady(START_TIMEOUT, () -> ready(readyUrl));
        return process;
    }
}
