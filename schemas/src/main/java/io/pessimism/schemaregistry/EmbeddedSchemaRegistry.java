package io.pessimism.schemaregistry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-compatible Schema Registry for dev and tests: the REST subset our serde and tools
 * use, on the JDK's HTTP server, with its state in a compacted store topic its caller names
 * (the deployment's {@code <ns>._schemas}, from {@code TopicNames.schemas()}).
 *
 * <p>On {@link #start()} it creates that topic when missing, reads it to the end and rebuilds
 * ids, versions and levels, so a registry restarted over the same cluster and topic answers
 * as before. <b>Single writer, dev only:</b> two instances over one topic would assign
 * conflicting ids; production uses a real registry (Confluent, Redpanda, Karapace, Apicurio).
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
 *         .bootstrapServers("localhost:9092").storeTopic(topicNames.schemas()).port(8081).build().start()) {
 *     String url = registry.url();   // http://127.0.0.1:8081
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedSchemaRegistry.class);

    /** A snapshot of the builder: later changes to the builder do not reach a built registry. */
    private record Settings(String bootstrapServers, String storeTopic, boolean inMemory, String host, int port,
                            short replicationFactor, int threads, CompatibilityLevel defaultCompatibility,
                            Map<String, Object> kafkaConfig) {
    }

    private final Settings config;
    private final AtomicLong requests = new AtomicLong();
    private InProcessSchemaRegistry registry;
    private HttpServer server;
    private ExecutorService executor;

    private EmbeddedSchemaRegistry(Settings config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Rebuilds the state from the log, then listens.
     *
     * @throws IllegalStateException when already started, the log cannot be read, or the port is taken
     */
    public synchronized EmbeddedSchemaRegistry start() {
        if (server != null) {
            throw new IllegalStateException("the schema registry is already started at " + url());
        }
        RegistryLog log = config.inMemory
                ? new InMemoryRegistryLog()
                : new KafkaRegistryLog(config.bootstrapServers, config.storeTopic, config.replicationFactor, config.kafkaConfig);
        try {
            registry = new InProcessSchemaRegistry(log, config.defaultCompatibility);
            server = HttpServer.create(new InetSocketAddress(config.host, config.port), 0);
        } catch (IOException | RuntimeException e) {
            log.close();
            registry = null;
            throw new IllegalStateException("could not start the schema registry on " + config.host + ":" + config.port
                    + ": " + e.getMessage(), e);
        }
        executor = Executors.newFixedThreadPool(config.threads, runnable -> {
            Thread thread = new Thread(runnable, "schema-registry-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        RegistryHttpHandler handler = new RegistryHttpHandler(registry);
        server.createContext("/", exchange -> {
            requests.incrementAndGet(); // before the reply: a client holding its answer sees its request counted
            handler.handle(exchange);
        });
        server.start();
        LOG.info("schema registry listening at {} (state in {})", url(),
                config.inMemory ? "memory" : config.storeTopic);
        return this;
    }

    /** {@code http://<host>:<port>}, with the actual port when 0 was asked for. */
    public synchronized String url() {
        if (server == null) {
            throw new IllegalStateException("the schema registry is not started");
        }
        String host = server.getAddress().getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + server.getAddress().getPort();
    }

    /** The port it listens on. */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the schema registry is not started");
        }
        return server.getAddress().getPort();
    }

    /**
     * HTTP requests received since this instance was built, whatever they asked: shows what a
     * client's caching saves (tests, diagnostics).
     */
    public long requestCount() {
        return requests.get();
    }

    /** The registry itself, to call without HTTP from the same JVM. */
    public synchronized InProcessSchemaRegistry registry() {
        if (registry == null) {
            throw new IllegalStateException("the schema registry is not started");
        }
        return registry;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdown();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    /** Settings of an {@link EmbeddedSchemaRegistry}; {@link #build()} validates them. */
    public static final class Builder {
        private String bootstrapServers;
        private String storeTopic;
        private boolean inMemory;
        private String host = "127.0.0.1";
        private int port = 0;
        private short replicationFactor = 1;
        private int threads = 4;
        private CompatibilityLevel defaultCompatibility = CompatibilityLevel.BACKWARD_TRANSITIVE;
        private final Map<String, Object> kafkaConfig = new HashMap<>();

        private Builder() {
        }

        /** The Kafka cluster holding the store topic. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /**
         * The compacted, one-partition topic holding the registry's state: the deployment's
         * {@code TopicNames.schemas()} ({@code <ns>._schemas}). Named by the caller so that topic
         * names are made in one place; never the bare {@code _schemas}, a real registry's.
         */
        public Builder storeTopic(String topic) {
            this.storeTopic = topic;
            return this;
        }

        /** Keep the state in memory only (no Kafka, lost on close): for tests and tools. */
        public Builder inMemory() {
            this.inMemory = true;
            return this;
        }

        /** The address to bind; loopback by default. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The port to bind; 0 (the default) picks a free one, see {@link #url()}. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The replication factor of the store topic when the registry creates it (default 1). */
        public Builder replicationFactor(int replicationFactor) {
            this.replicationFactor = (short) replicationFactor;
            return this;
        }

        /** The global level until one is set through {@code PUT /config}; BACKWARD_TRANSITIVE by default. */
        public Builder defaultCompatibility(CompatibilityLevel level) {
            this.defaultCompatibility = Objects.requireNonNull(level, "level");
            return this;
        }

        /** Extra Kafka client settings (security, timeouts) for the registry's admin, producer and consumer. */
        public Builder kafkaConfig(Map<String, ?> config) {
            this.kafkaConfig.putAll(config);
            return this;
        }

        /** HTTP worker threads (default 4). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public EmbeddedSchemaRegistry build() {
            if (!inMemory) {
                if (bootstrapServers == null || bootstrapServers.isBlank()) {
                    throw new IllegalArgumentException("bootstrapServers is required (or inMemory())");
                }
                requireStoreTopic(storeTopic);
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (replicationFactor < 1) {
                throw new IllegalArgumentException("replicationFactor must be at least 1, was " + replicationFactor);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            Objects.requireNonNull(host, "host");
            return new EmbeddedSchemaRegistry(new Settings(bootstrapServers, storeTopic, inMemory, host, port,
                    replicationFactor, threads, defaultCompatibility, Map.copyOf(kafkaConfig)));
        }

        private static void requireStoreTopic(String topic) {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("storeTopic is required (the topic holding the registry's state,"
                        + " e.g. TopicNames.schemas()), or inMemory()");
            }
            if (topic.equals("_schemas")) {
                throw new IllegalArgumentException("storeTopic must not be _schemas: a real Schema Registry on the"
                        + " same cluster owns it; use the namespaced TopicNames.schemas()");
            }
            try {
                Topic.validate(topic); // Kafka's own legality rule, so a bad name fails here, not at createTopics
            } catch (InvalidTopicException e) {
                throw new IllegalArgumentException("storeTopic: " + e.getMessage(), e);
            }
        }
    }
}
