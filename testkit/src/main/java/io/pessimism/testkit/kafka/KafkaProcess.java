package io.pessimism.testkit.kafka;

import io.pessimism.testkit.process.ChildProcess;
import io.pessimism.testkit.process.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single combined KRaft node (broker + controller) running as a child JVM, for crash tests:
 * {@link #kill()} is a real SIGKILL and {@link #restart()} recovers from the same data directory on
 * the same ports, so {@link #bootstrapServers()} stays valid across restarts.
 *
 * <p>The child runs {@code kafka.Kafka} from the test JVM's own classpath (which holds
 * {@code kafka_2.13}), after a one-time {@code kafka.tools.StorageTool format --standalone}. Its
 * stdout/stderr go to {@code <dataDir>/kafka.log}.
 *
 * <pre>{@code
 * try (KafkaProcess kafka = KafkaProcess.create(tempDir).start()) {
 *     ... kafka.bootstrapServers() ...
 *     kafka.kill();
 *     kafka.restart();
 * }
 * }</pre>
 */
public final class KafkaProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProcess.class);

    private static final Duration START_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    private static final List<String> JVM_OPTIONS = List.of(
            "-Xmx512m",
            // a crash-test broker on a 2-core machine: quick start-up matters more than peak throughput
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides;
    private ChildProcess process;

    private KafkaProcess(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir.toAbsolutePath();
        this.brokerPort = FreePort.allocate();
        this.controllerPort = FreePort.allocate();
        this.overrides = Map.copyOf(overrides);
    }

    /** A node (not started) keeping its configuration, logs and data under {@code dataDir}. */
    public static KafkaProcess create(Path dataDir) {
        return create(dataDir, Map.of());
    }

    /** As {@link #create(Path)}, with broker settings added to or replacing the defaults. */
    public static KafkaProcess create(Path dataDir, Map<String, String> brokerConfig) {
        return new KafkaProcess(dataDir, brokerConfig);
    }

    /**
     * Formats the data directory on first use, launches the node and waits until the broker answers
     * {@code describeCluster}. Fails with the tail of the node's log when it does not come up.
     */
    public synchronized KafkaProcess start() {
        if (isRunning()) {
            throw new IllegalStateException("Kafka process on " + bootstrapServers() + " is already running");
        }
        long begin = System.nanoTime();
        Path config = writeConfig();
        if (!Files.exists(logDir().resolve("meta.properties"))) {
            format(config);
            LOG.info("formatted {} in {} ms", logDir(), (System.nanoTime() - begin) / 1_000_000);
        }
        process = ChildProcess.start("Kafka process on " + bootstrapServers(),
                javaCommand("kafka.Kafka", config.toString()), logFile());
        Admin admin = admin();
        try {
            process.awaitReady(START_TIMEOUT, () -> !admin.describeCluster().nodes()
                    .get(2, TimeUnit.SECONDS).isEmpty());
        } finally {
            // a plain close() waits for the probes still pending, up to the API timeout each
            admin.close(Duration.ZERO);
        }
        LOG.info("Kafka process on {} (pid {}) ready in {} ms", bootstrapServers(), process.pid(),
                (System.nanoTime() - begin) / 1_000_000);
        return this;
    }

    /** Stops the node if it runs (gracefully) and starts it again on the same data and ports. */
    public synchronized KafkaProcess restart() {
        if (isRunning()) {
            stop();
        }
        return start();
    }

    /** SIGKILL: no controlled shutdown, no flush; the next start recovers the logs. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    /** SIGTERM and wait for Kafka's controlled shutdown (SIGKILL if it hangs). */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.stop(STOP_GRACE);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The OS process id of the running node. */
    public synchronized long processId() {
        if (process == null) {
            throw new IllegalStateException("Kafka process on " + bootstrapServers() + " was never started");
        }
        return process.pid();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Where the node's stdout and stderr are appended, across restarts. */
    public Path logFile() {
        return dataDir.resolve("kafka.log");
    }

    /** An admin client for this node; the caller closes it. */
    public Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private Path logDir() {
        return dataDir.resolve("logs");
    }

    private void format(Path config) {
        String clusterId = Uuid.randomUuid().toString();
        ChildProcess formatter = ChildProcess.start("Kafka storage format in " + dataDir,
                javaCommand("kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId,
                        "-c", config.toString()),
                logFile());
        int exit = formatter.awaitExit(FORMAT_TIMEOUT);
        if (exit != 0) {
            throw new IllegalStateException("kafka.tools.StorageTool format failed with exit code " + exit
                    + " in " + dataDir + "; last lines of " + logFile() + ":\n" + formatter.logTail());
        }
    }

    private Path writeConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        config.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "PLAINTEXT");
        config.put("log.dirs", logDir().toString());
        config.put("auto.create.topics.enable", "false");
        // one node: the internal topics must fit on it, or no group or transaction coordinator appears
        config.put("offsets.topic.replication.factor", "1");
        config.put("offsets.topic.num.partitions", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("transaction.state.log.num.partitions", "1");
        config.put("share.coordinator.state.topic.replication.factor", "1");
        config.put("share.coordinator.state.topic.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        // After a SIGKILL the restarted broker's registration is refused until the previous one's
        // session expires (9 s by default): a short session makes restarts quick.
        config.put("broker.session.timeout.ms", "2000");
        config.put("broker.heartbeat.interval.ms", "500");
        config.putAll(overrides);
        StringBuilder text = new StringBuilder("# written by io.pessimism.testkit.kafka.KafkaProcess\n");
        config.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = dataDir.resolve("server.properties");
        try {
            Files.createDirectories(dataDir);
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** {@code java @argfile <main> <args>}: the classpath goes in an argfile, as it can be long. */
    private List<String> javaCommand(String mainClass, String... args) {
        Path argFile = dataDir.resolve("jvm.args");
        String classpath = System.getProperty("java.class.path");
        try {
            Files.writeString(argFile, "-cp \"" + classpath.replace("\\", "\\\\") + "\"\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + argFile, e);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("@" + argFile);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }
}
