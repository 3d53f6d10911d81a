package io.pessimism.app.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-node KRaft broker of {@code pessimism dev}, run inside the dev process. Its data stays
 * in a local directory, so a restarted {@code dev} keeps its topics (and the oracles resume).
 * Topic auto-creation is off, as on a production cluster: services create what they use.
 * Not for production: one node, replication factor 1.
 */
public final class DevBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevBroker.class);

    private final Path dataDir;
    private final int port;
    private KafkaRaftServer server;

    public DevBroker(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public void start() {
        try {
            Files.createDirectories(dataDir);
            int controllerPort = controllerPort();
            Path propsFile = writeServerProperties(controllerPort);
            formatOnce(propsFile);
            Properties props = new Properties();
            try (var in = Files.newInputStream(propsFile)) {
                props.load(in);
            }
            server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
            awaitReady(Duration.ofSeconds(60));
            log.info("dev Kafka broker listening on {} (data in {})", bootstrapServers(), dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare the dev broker's data directory " + dataDir, e);
        }
    }

    /** The controller listener's port is kept in the data dir: it must not change across restarts. */
    private int controllerPort() throws IOException {
        Path file = dataDir.resolve("controller.port");
        if (Files.exists(file)) {
            return Integer.parseInt(Files.readString(file).trim());
        }
        int free = Ports.free();
        Files.writeString(file, Integer.toString(free));
        return free;
    }

    private Path writeServerProperties(int controllerPort) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dataDir.resolve("log").toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "1");
        // one node: every internal topic must live with a single replica
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("message.max.bytes", Integer.toString(16 * 1024 * 1024));
        Path file = dataDir.resolve("server.properties");
        try (var out = Files.newOutputStream(file)) {
            p.store(out, "pessimism dev broker (generated)");
        }
        return file;
    }

    /** Formats the log dir on first use only; a formatted dir is kept as it is. */
    private void formatOnce(Path propsFile) {
        if (Files.exists(dataDir.resolve("log").resolve("meta.properties"))) {
            return;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {
            "format", "--standalone", "--ignore-formatted",
            "-t", Uuid.randomUuid().toString(),
            "-c", propsFile.toString()
        }, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("could not format the dev broker's storage in " + dataDir + ": "
                    + buffer.toString(StandardCharsets.UTF_8).trim());
        }
    }

    private void awaitReady(Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the dev broker did not become ready on "
                                + bootstrapServers() + " within " + timeout, e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            log.info("dev Kafka broker stopped");
        }
    }
}
