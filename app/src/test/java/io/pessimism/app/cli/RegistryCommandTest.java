package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** `pessimism registry` as an operator runs it: a separate JVM, REST on the configured port, SIGTERM stops it. */
class RegistryCommandTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @Test
    void servesTheRegistryRestApiAndStopsCleanlyOnSigterm() throws Exception {
        int port = freePort();
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.pessimism.avro",
                "-cp", System.getProperty("java.class.path"),
                "io.pessimism.app.Main", "registry",
                "--bootstrap-servers", KAFKA.bootstrapServers(),
                "--namespace", "clitest",
                "--schema-registry-url", "http://127.0.0.1:" + port))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            // the test classpath's logback config logs to stdout too: skip log lines up to the banner
            String banner = out.readLine();
            while (banner != null && !banner.startsWith("schema registry listening")) {
                banner = out.readLine();
            }
            assertThat(banner).isEqualTo("schema registry listening on http://127.0.0.1:" + port
                    + " (schemas in topic clitest._schemas)");

            HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/subjects/t-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"schema\": \"\\\"string\\\"\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).isEqualTo(200);
            assertThat(registered.body()).matches("\\{\"id\":\\s*\\d+}");

            process.destroy(); // SIGTERM: the shutdown hook closes the registry
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits within 30 s of SIGTERM").isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
        } finally {
            process.destroyForcibly();
        }
        try (var admin = KAFKA.cluster().admin()) {
            assertThat(admin.listTopics().names().get()).contains("clitest._schemas");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
