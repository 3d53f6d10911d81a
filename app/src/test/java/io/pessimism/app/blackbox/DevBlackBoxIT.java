package io.pessimism.app.blackbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.process.FreePort;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * {@code bin/pessimism dev} as a user runs it, from the packaged jar (failsafe runs this after
 * {@code package}): start it, create a pipeline with plain HTTP, emit events on the printed layer1
 * chain, read {@code .out} as a consumer outside this project would — a plain Kafka consumer of
 * bytes, the Confluent wire format decoded with the schema fetched from the registry's REST API —
 * then SIGTERM it and check that everything it started is gone.
 */
class DevBlackBoxIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String OWNER = "blackbox";
    private static final String PING = "Ping(address,uint256)";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private Process dev;

    @AfterEach
    void killLeftovers() {
        if (dev != null && dev.isAlive()) {
            dev.descendants().forEach(ProcessHandle::destroyForcibly);
            dev.destroyForcibly();
        }
    }

    @Test
    void startCreateEmitReadAndStopLikeAUser() throws Exception {
        Map<String, Integer> ports = new HashMap<>();
        for (String service : List.of("kafka", "registry", "layer1", "layer2", "api")) {
            ports.put(service, FreePort.allocate());
        }
        Path log = tmp.resolve("dev.log");
        dev = startDev(ports, log);
        try {
            await("'pessimism dev is up:' in its output").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .failFast("pessimism dev exited", () -> !dev.isAlive())
                    .until(() -> read(log).contains("Ctrl-C to stop."));
            String output = read(log);
            assertThat(output).as("the launcher used the jar package had just built").doesNotContain("pessimism: building");
            assertThat(output).contains("pessimism dev is up:");
            Endpoints endpoints = Endpoints.parse(output);
            assertThat(endpoints.kafka()).endsWith(":" + ports.get("kafka"));
            assertThat(endpoints.registry()).endsWith(":" + ports.get("registry"));
            assertThat(endpoints.layer1()).endsWith(":" + ports.get("layer1"));
            assertThat(endpoints.api()).endsWith(":" + ports.get("api"));
            List<ProcessHandle> children = dev.descendants().toList();
            String contract;
            String topic;
            String who = DevAccounts.address(5);

            try (ChainDriver chain = ChainDriver.connect(endpoints.layer1())) {
                contract = chain.deployEmitter();
                JsonNode created = createPipeline(endpoints.api(), contract);
                assertThat(created.get("reused").asBoolean()).isFalse();
                topic = created.get("topic").asText();

                List<TransactionReceipt> pings = new ArrayList<>();
                pings.add(chain.emitPing(contract, who, BigInteger.valueOf(7)));
                chain.emitPong(contract, who, BigInteger.valueOf(8)); // a signature nobody watches
                pings.add(chain.emitPings(contract, who, BigInteger.valueOf(100), 2));
                List<Log> expected = pings.stream().flatMap(r -> r.getLogs().stream()).toList();

                List<GenericRecord> records = await("the Pings reach " + topic).atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> readOut(endpoints, topic), r -> r.size() >= expected.size());

                assertThat(records).as("exactly the Pings, in chain order; not the Pong").hasSize(expected.size());
                for (int i = 0; i < expected.size(); i++) {
                    Log log1 = expected.get(i);
                    GenericRecord envelope = (GenericRecord) records.get(i).get("envelope");
                    GenericRecord value = (GenericRecord) records.get(i).get("value");
                    assertThat(strings(envelope.get("owners"))).containsExactly(OWNER);
                    assertThat(envelope.get("register").toString()).isEqualTo("event_log");
                    assertThat(envelope.get("removed")).isEqualTo(false);
                    assertThat(value.get("address").toString()).isEqualTo(contract);
                    assertThat(strings(value.get("topics"))).containsExactly(Hash.sha3String(PING),
                            "0x" + TypeEncoder.encode(new Address(who)));
                    assertThat(value.get("data").toString()).isEqualTo(log1.getData());
                    assertThat(value.get("blockHash").toString()).isEqualTo(log1.getBlockHash());
                    assertThat((long) value.get("blockNumber")).isEqualTo(log1.getBlockNumber().longValueExact());
                    assertThat(value.get("transactionHash").toString()).isEqualTo(log1.getTransactionHash());
                    assertThat((int) value.get("logIndex")).isEqualTo(log1.getLogIndex().intValueExact());
                }
                assertThat(records).extracting(r -> ((GenericRecord) r.get("value")).get("data").toString())
                        .as("the values emitted").containsExactly(uint(7), uint(100), uint(101));
            }

            dev.destroy(); // SIGTERM, as Ctrl-C or a service manager would
            assertThat(dev.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                    .as("pessimism dev exits within %s of SIGTERM; its output:%n%s", STOP_TIMEOUT, tail(log)).isTrue();
            assertThat(children).as("it started the anvil chains").hasSizeGreaterThanOrEqualTo(2);
            await("every child process is gone").atMost(Duration.ofSeconds(5))
                    .until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
            ports.forEach((service, port) -> assertThat(listening(port)).as("%s port %d closed", service, port)
                    .isFalse());

            // started again over the same data: the broker's topics and the chains' blocks were kept,
            // so the oracle resumes on the same chain and the pipeline goes on where it stopped
            Path again = tmp.resolve("dev-again.log");
            dev = startDev(ports, again);
            await("'pessimism dev is up:' after the restart").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .failFast("pessimism dev exited", () -> !dev.isAlive())
                    .until(() -> read(again).contains("Ctrl-C to stop."));
            try (ChainDriver chain = ChainDriver.connect(endpoints.layer1())) {
                chain.emitPing(contract, who, BigInteger.valueOf(9));
            }
            List<GenericRecord> afterRestart = await("the Ping after the restart reaches " + topic)
                    .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> readOut(endpoints, topic), r -> r.size() >= 4);
            assertThat(afterRestart).extracting(r -> ((GenericRecord) r.get("value")).get("data").toString())
                    .as("nothing lost, nothing twice, no retraction").containsExactly(uint(7), uint(100), uint(101),
                            uint(9));
            assertThat(afterRestart).extracting(r -> ((GenericRecord) r.get("envelope")).get("removed"))
                    .containsOnly(false);
            assertThat(read(again)).as("the kept chain is the one the topics hold").doesNotContain("reorg of depth")
                    .doesNotContain("reorg deeper than");
            dev.destroy();
            assertThat(dev.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } catch (Throwable failure) {
            failure.addSuppressed(new AssertionError("output of pessimism dev:\n" + tail(log)));
            throw failure;
        }
    }

    /** Starts {@code bin/pessimism dev} on the given ports over {@code <tmp>/data}, its output into {@code log}. */
    private Process startDev(Map<String, Integer> ports, Path log) throws IOException {
        Path launcher = Path.of(System.getProperty("pessimism.repo.root"), "bin", "pessimism");
        return new ProcessBuilder(launcher.toString(), "dev",
                "--data-dir", tmp.resolve("data").toString(),
                "--kafka-port", ports.get("kafka").toString(),
                "--registry-port", ports.get("registry").toString(),
                "--layer1-port", ports.get("layer1").toString(),
                "--layer2-port", ports.get("layer2").toString(),
                "--api-port", ports.get("api").toString(),
                "--block-time", "1s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * {@code dev} keeps its broker's data (with *.properties files) under {@code .pessimism/} of the
     * working directory, the repository root when run as the README says; those files are no
     * reason to rebuild. {@code mvn} is replaced by a stub that fails, so a rebuild shows at once.
     */
    @Test
    void devDataUnderTheRepositoryDoesNotMakeTheLauncherRebuild() throws Exception {
        Path repo = Path.of(System.getProperty("pessimism.repo.root"));
        Path devData = repo.resolve(".pessimism");
        boolean created = !Files.exists(devData);
        Path ours = devData.resolve("blackbox-it-" + ProcessHandle.current().pid());
        Path stubs = Files.createDirectories(tmp.resolve("stubs"));
        Path mvn = Files.writeString(stubs.resolve("mvn"), "#!/bin/sh\necho 'mvn was called' >&2\nexit 3\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        try {
            Path properties = Files.createDirectories(ours.resolve("kafka")).resolve("server.properties");
            Files.writeString(properties, "node.id=1\n");
            Files.setLastModifiedTime(properties, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() + 2_000)); // newer than the jar, whenever it was built

            ProcessBuilder builder = new ProcessBuilder(repo.resolve("bin/pessimism").toString(), "--version")
                    .redirectErrorStream(true);
            builder.environment().put("PATH", stubs + java.io.File.pathSeparator + System.getenv("PATH"));
            Process launcher = builder.start();
            String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();

            assertThat(output).doesNotContain("pessimism: building").doesNotContain("mvn was called");
            assertThat(launcher.exitValue()).as(output).isZero();
        } finally {
            deleteRecursively(created ? devData : ours);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static JsonNode createPipeline(String api, String contract) throws Exception {
        String body = JSON.writeValueAsString(Map.of("network", "layer1", "type", "live", "register", "event_log",
                "owner", OWNER, "interests", List.of(Map.of("address", contract, "signatures", List.of(PING)))));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/v1/pipelines"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    /** Every committed record of the topic, decoded from the Confluent wire format with the registry's schema. */
    private static List<GenericRecord> readOut(Endpoints endpoints, String topic) throws Exception {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.kafka());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<byte[]> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(10)).get(partition);
            while (consumer.position(partition, Duration.ofSeconds(10)) < end) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        List<GenericRecord> records = new ArrayList<>();
        for (byte[] value : values) {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            assertThat(buffer.get()).as("Confluent wire format magic byte").isZero();
            Schema schema = writerSchema(endpoints.registry(), buffer.getInt());
            records.add(new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null)));
        }
        return records;
    }

    private static Schema writerSchema(String registry, int id) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry + "/schemas/ids/" + id))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /schemas/ids/%d: %s", id, response.body()).isEqualTo(200);
        return new Schema.Parser().parse(JSON.readTree(response.body()).get("schema").asText());
    }

    private static List<String> strings(Object avroArray) {
        return ((List<?>) avroArray).stream().map(Object::toString).toList();
    }

    private static String uint(long value) {
        return "0x" + TypeEncoder.encode(new Uint256(value));
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static String tail(Path log) {
        try {
            List<String> lines = read(log).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** The endpoints {@code pessimism dev} printed. */
    private record Endpoints(String kafka, String registry, String layer1, String api) {

        static Endpoints parse(String output) {
            return new Endpoints(field(output, "kafka"), field(output, "schema registry"),
                    field(output, "layer1 \\(anvil\\)"), field(output, "ETL REST API"));
        }

        private static String field(String output, String label) {
            Matcher m = Pattern.compile("(?m)^\\s+" + label + "\\s+(\\S+)").matcher(output);
            assertThat(m.find()).as("'%s' among the printed endpoints", label).isTrue();
            return m.group(1);
        }
    }
}
