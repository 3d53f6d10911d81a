package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClients;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.process.ChildProcess;
import io.pessimism.testkit.process.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pessimism oracles` as an operator runs it: a separate JVM configured by env and flags (JSON logs
 * among them), stopped by SIGTERM; its /ready names each check and fails when the node is down.
 */
class OraclesCommandTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.create();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void publishesEveryBlockOfTheConfiguredNetworkAndStopsCleanly() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().inMemory().port(0).build().start();
             ChainDriver chain = ChainDriver.connect(LAYER1.httpUrl())) {
            chain.mine(20);
            int httpPort = FreePort.allocate();
            String http = "http://127.0.0.1:" + httpPort;
            ChildProcess oracles = ChildProcess.start("pessimism oracles", List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.pessimism.avro",
                    // the service's logging, as in its jar (the test class path also holds logback-test.xml)
                    "-Dlogback.configurationFile=" + Path.of(OraclesCommandTest.class.getResource("/logback.xml").toURI()),
                    "-cp", System.getProperty("java.class.path"),
                    "io.pessimism.app.Main", "oracles",
                    "--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--schema-registry-url", registry.url(),
                    "--namespace", "orcli",
                    "--set", "networks.layer2.enabled=false",
                    "--set", "networks.layer1.rpc-url=" + LAYER1.httpUrl(),
                    "--set", "networks.layer1.poll-interval=100ms",
                    "--set", "oracles.http.port=" + httpPort,
                    "--set", "log.format=json"), tmp.resolve("oracles.log"));
            try {
                long head = chain.blockNumber();
                oracles.awaitReady(Duration.ofSeconds(60), () -> blockKeys().size() > head);

                assertThat(blockKeys()).as("every height from genesis to the head once, in order")
                        .containsExactlyElementsOf(LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());

                assertThat(KafkaClients.readAll(KAFKA.bootstrapServers(), "orcli.oracle-status",
                        IsolationLevel.READ_COMMITTED)).as("the oracle's status is published for the ETL to read")
                        .extracting(r -> r.key()).contains("layer1.geth_block");

                assertThat(get(http + "/health").statusCode()).isEqualTo(200);
                HttpResponse<String> ready = get(http + "/ready");
                assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
                JsonNode checks = JSON.readTree(ready.body()).path("checks");
                assertThat(checks.fieldNames()).toIterable().containsExactly("kafka", "schema-registry", "nodes", "oracles");
                assertThat(checks.elements()).toIterable().extracting(JsonNode::asText).containsOnly("ok");
                String node = "127.0.0.1:" + java.net.URI.create(LAYER1.httpUrl()).getPort();
                assertThat(get(http + "/metrics").body()).as("the oracles' metrics, tagged with their node")
                        .contains("pessimism_oracle_head{network=\"layer1\",node=\"" + node
                                + "\",register=\"geth_block\"} " + head + ".0")
                        .contains("pessimism_node_errors_total{network=\"layer1\",node=\"" + node
                                + "\",register=\"geth_block\"}")
                        .as("where its time went, each stage of its loop a timer with buckets")
                        .contains("pessimism_oracle_stage_seconds_count{network=\"layer1\",register=\"geth_block\","
                                + "stage=\"fetch\"}")
                        .contains("pessimism_oracle_stage_seconds_bucket{network=\"layer1\",register=\"geth_block\","
                                + "stage=\"commit\",le=")
                        .as("the node's answers, timed per method")
                        .contains("pessimism_node_request_seconds_bucket{method=\"eth_getBlockByNumber\","
                                + "network=\"layer1\",node=\"" + node + "\",outcome=\"ok\",le=")
                        .as("the oracle's Kafka producer, through Micrometer's Kafka client binder")
                        .containsPattern("kafka_producer_record_send_total\\{[^}]*register=\"geth_block\"");
                assertThat(get(http + "/nope").statusCode()).isEqualTo(404);

                LAYER1.anvil().kill();
                await("/ready fails naming the node that is down").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    HttpResponse<String> down = get(http + "/ready");
                    assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                    JsonNode problem = JSON.readTree(down.body());
                    assertThat(problem.path("checks").path("nodes").asText()).startsWith("layer1 node at " + node + " ");
                    assertThat(problem.path("checks").path("kafka").asText()).isEqualTo("ok");
                    assertThat(problem.path("detail").asText()).startsWith("nodes: layer1 node at " + node);
                });
                assertThat(get(http + "/health").statusCode()).as("liveness is not readiness").isEqualTo(200);

                oracles.stop(Duration.ofSeconds(30));
                assertThat(oracles.isAlive()).as("stopped within the grace period of SIGTERM").isFalse();
            } finally {
                oracles.kill();
            }
            assertThat(oracles.logTail()).contains("oracle layer1.geth_block started");
            assertThat(jsonLines(tmp.resolve("oracles.log"))).as("log.format=json: one object per line")
                    .isNotEmpty()
                    .anySatisfy(line -> {
                        assertThat(line.path("formattedMessage").asText()).contains("resuming at height");
                        assertThat(line.path("mdc").path("network").asText()).isEqualTo("layer1");
                        assertThat(line.path("mdc").path("register").asText()).isEqualTo("geth_block");
                        assertThat(line.path("threadName").asText()).isEqualTo("oracle-orcli.layer1.geth_block");
                    });
        }
    }

    /** The log's JSON lines, each parsed (the JVM and the launcher may write a few other lines first). */
    private static List<JsonNode> jsonLines(Path log) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> blockKeys() {
        return KafkaClients.readAll(KAFKA.bootstrapServers(), "orcli.layer1.geth_block", IsolationLevel.READ_COMMITTED)
                .stream().map(r -> r.key()).toList();
    }
}
