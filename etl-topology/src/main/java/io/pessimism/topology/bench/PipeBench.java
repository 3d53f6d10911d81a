package io.pessimism.topology.bench;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.pipeline.BranchProperties;
import io.pessimism.pipeline.BranchSettings;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchDefinition;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.TopologyGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pessimism bench pipe}: on one pre-filled {@code geth_block} topic, the blocks/s of the
 * generated event_log branch versus a bare Kafka Streams pass-through of the same records (same
 * Avro serdes, same {@code exactly_once_v2} properties), in one run. Each application is timed
 * from the moment it is RUNNING until its committed offset reaches the topic's end, and runs
 * twice, alternating, so neither profits alone from a warm JVM; the better run of each counts.
 * Everything it creates lives under a fresh namespace {@code bench<random>}.
 */
public final class PipeBench {

    private static final Logger log = LoggerFactory.getLogger(PipeBench.class);

    /** Transactions and logs per block: a busy mainnet-like block, two logs of them watched. */
    static final int TRANSACTIONS = 50;
    static final int LOGS = 40;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final String bootstrapServers;
    private final Topics topics;
    private final Path stateDir;
    private final int rounds;

    PipeBench(String bootstrapServers, String registryUrl, int rounds) {
        this.bootstrapServers = bootstrapServers;
        String namespace = "bench" + UUID.randomUUID().toString().substring(0, 8);
        this.topics = new Topics(new TopicNames(namespace), new RestSchemaRegistryClient(registryUrl), -1);
        this.rounds = rounds;
        try {
            this.stateDir = Files.createTempDirectory("pessimism-bench");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a state directory for the bench", e);
        }
    }

    /** Fills a topic with {@code records} blocks, measures both applications, prints the figures. */
    public static PipeBenchResult run(String bootstrapServers, String registryUrl, int records, PrintStream out) {
        return new PipeBench(bootstrapServers, registryUrl, 2).measure(records, out);
    }

    PipeBenchResult measure(int records, PrintStream out) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Registry registry = Registry.standard();
            PipelineSpec spec = spec(registry);
            BranchDefinition branch = BranchDefinition.of(spec, registry);
            TopologyGenerator generator = new TopologyGenerator(ComponentCatalog.standard(), topics);
            Topic<String, Block> blocks = topics.blocks(Network.LAYER1);
            Topic<String, Block> copy = new Topic<>(topics.names().out(topics.names().namespace() + ".passthrough"),
                    blocks.keySerde(), blocks.valueSerde(), 1, Map.of("max.message.bytes",
                    Integer.toString(Topics.MAX_MESSAGE_BYTES)));
            List<Topic<?, ?>> all = new ArrayList<>(generator.topicsOf(branch));
            all.add(copy);
            TopicAdmin.ensure(admin, (short) 1, all);
            out.printf("filling %s with %,d blocks (%d transactions, %d logs each)%n", blocks.name(), records,
                    TRANSACTIONS, LOGS);
            fill(blocks, spec, records);
            long end = end(admin, blocks.name());

            double passThrough = 0;
            double generated = 0;
            BranchCounters lastCounters = null;
            for (int round = 1; round <= rounds; round++) {
                String passId = topics.names().namespace() + ".passthrough-" + round;
                passThrough = Math.max(passThrough, time(admin, passId, passThrough(blocks, copy), passId,
                        new BranchCounters(), records, end));
                String branchId = spec.getPrefix() + "-" + round;
                BranchCounters counters = new BranchCounters();
                generated = Math.max(generated, time(admin, branchId, generator.build(branch, counters), branchId,
                        counters, records, end));
                lastCounters = counters;
                out.printf("round %d: pass-through %,.0f blocks/s, event_log branch %,.0f blocks/s%n", round,
                        passThrough, generated);
            }
            long matched = countCommitted(topics.names().out(spec.getPrefix())) / rounds;
            var result = new PipeBenchResult(records, passThrough, generated, matched);
            out.printf("pipe bench: %,d blocks; pass-through %,.0f blocks/s; generated event_log branch %,.0f"
                    + " blocks/s; ratio %.2f (target >= 0.80); %,d watched logs emitted per run, last block %d%n",
                    records, passThrough, generated, result.ratio(), matched, lastCounters.height().orElse(-1));
            return result;
        } finally {
            deleteStateDir();
        }
    }

    private double time(Admin admin, String applicationId, Topology topology, String prefix, BranchCounters counters,
            int records, long end) {
        var settings = new BranchSettings(bootstrapServers, stateDir, (short) 1, BranchSettings.MAX_COMMIT_INTERVAL,
                1024 * 1024, 64L * 1024 * 1024, Duration.ofSeconds(1), Map.of());
        Properties props = BranchProperties.of(settings, topics, prefix, counters);
        KafkaStreams streams = new KafkaStreams(topology, props);
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((state, old) -> {
            if (state == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        try {
            streams.start();
            if (!running.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(applicationId + " did not reach RUNNING within " + TIMEOUT);
            }
            long start = System.nanoTime();
            awaitCommitted(admin, applicationId, end, streams);
            double seconds = (System.nanoTime() - start) / 1e9;
            return records / seconds;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + applicationId, e);
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            streams.cleanUp();
        }
    }

    private void awaitCommitted(Admin admin, String group, long end, KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        TopicPartition source = new TopicPartition(topics.blocks(Network.LAYER1).name(), 0);
        while (System.nanoTime() < deadline) {
            if (streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException(group + " failed; see its log");
            }
            try {
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get().get(source);
                if (committed != null && committed.offset() >= end) {
                    return;
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not read the offsets of " + group + ": " + e.getCause(), e);
            }
            TimeUnit.MILLISECONDS.sleep(10); // polling the committed offset: the clock of the measure
        }
        throw new IllegalStateException(group + " did not reach offset " + end + " within " + TIMEOUT);
    }

    private static Topology passThrough(Topic<String, Block> in, Topic<String, Block> out) {
        Topology topology = new Topology();
        topology.addSource("source", in.keySerde().deserializer(), in.valueSerde().deserializer(), in.name());
        topology.addSink("sink", out.name(), out.keySerde().serializer(), out.valueSerde().serializer(), "source");
        return topology;
    }

    private PipelineSpec spec(Registry registry) {
        PipelinePID pid = PipelinePID.of(PipelineType.LIVE, registry.resolve(Registers.EVENT_LOG.name(), Network.LAYER1));
        PUUID puuid = PUUID.random(pid);
        return PipelineSpec.newBuilder()
                .setPuuid(puuid.toString()).setPid(pid.toString()).setPrefix(topics.names().pipelinePrefix(pid))
                .setNetwork(Network.LAYER1.label()).setType(io.pessimism.avro.PipelineType.LIVE)
                .setRegister(Registers.EVENT_LOG.name()).setStartHeight(0L).setEndHeight(null)
                .setOwners(List.of("bench")).setDesiredState(DesiredState.RUNNING)
                .setCreatedAt(System.currentTimeMillis()).setMergedInto(null)
                .build();
    }

    private void fill(Topic<String, Block> blocks, PipelineSpec spec, int records) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        var state = topics.state();
        try (var interests = new KafkaProducer<>(props, state.keySerde().serializer(), state.valueSerde().serializer());
             var producer = new KafkaProducer<>(props, blocks.keySerde().serializer(), blocks.valueSerde().serializer())) {
            var interest = new AddressInterest(spec.getPuuid(), BenchBlocks.WATCHED, "bench", List.of(BenchBlocks.PING), 0L);
            interests.send(new ProducerRecord<>(state.name(), InterestKey.of(interest).render(), interest));
            // no control plane here: confirm the interest for every block, so the branch never holds one
            interests.send(new ProducerRecord<>(state.name(), InterestHorizon.key(Network.LAYER1),
                    InterestHorizon.record(Network.LAYER1, Long.MAX_VALUE)));
            for (long n = 1; n <= records; n++) {
                producer.send(new ProducerRecord<>(blocks.name(), Long.toString(n), block(n)));
            }
            producer.flush();
            interests.flush();
        }
    }

    /** A block of {@link #TRANSACTIONS} transactions and {@link #LOGS} logs, two of them watched. */
    static Block block(long number) {
        return BenchBlocks.block(number, TRANSACTIONS, LOGS);
    }

    /** Records on {@code topic} a read_committed consumer sees. */
    private long countCommitted(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        TopicPartition partition = new TopicPartition(topic, 0);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long count = 0;
            while (consumer.position(partition) < end) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static long end(Admin admin, String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try {
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not read the end of " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the end of " + topic, e);
        }
    }

    private void deleteStateDir() {
        try (Stream<Path> paths = Files.walk(stateDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("could not delete the bench's state directory {}: {}", stateDir, e.toString());
        }
    }
}
