package io.pessimism.app.dev;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.EtlService;
import io.pessimism.api.PipelineCreated;
import io.pessimism.app.cli.EtlCommand;
import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.config.PessimismConfig;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.topic.Topic;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.http.HttpService;

/**
 * {@code pessimism bench latency}: how long after a block is available at the node its record is
 * in a live pipeline's {@code .out} for a {@code read_committed} consumer, on a stack like
 * {@code pessimism dev}'s (a local broker, the embedded registry, an anvil node, the oracles
 * following it over WebSocket newHeads, the ETL service, one live event_log pipeline). A block
 * with one watched Ping is mined every {@code interval} (anvil's automine: the block exists when
 * the sending call returns, which starts the clock); the consumer in this JVM stops it. Blocks of
 * a warm-up (the pipeline starting) are not counted; every measured block's record must arrive.
 */
public final class LiveLatencyBench {

    private static final String PING = "Ping(address,uint256)";
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** Latencies in milliseconds, one per measured block. */
    public record Figures(Duration interval, Duration commitInterval, List<Double> millis) {

        public double percentile(double p) {
            List<Double> sorted = new ArrayList<>(millis);
            Collections.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        public String line() {
            return String.format("bench latency: %d blocks, one every %d ms, commits every %d ms, node to read_committed "
                            + ".out: p50 %.0f ms, p99 %.0f ms (target <= 250), max %.0f ms", millis.size(),
                    interval.toMillis(), commitInterval.toMillis(), percentile(50), percentile(99), percentile(100));
        }
    }

    private LiveLatencyBench() {
    }

    /**
     * Starts the stack, its branches committing every {@code commitInterval} ({@code pipelines.commit-interval}),
     * measures {@code blocks} blocks after {@code warmups}, prints and returns the figures.
     */
    public static Figures run(int blocks, int warmups, Duration interval, Duration commitInterval, PrintStream out)
            throws Exception {
        if (blocks < 1 || warmups < 0 || interval.toMillis() < 10) {
            throw new IllegalArgumentException("blocks >= 1, warm-ups >= 0, interval >= 10 ms: " + blocks + ", "
                    + warmups + ", " + interval);
        }
        Path work = Files.createTempDirectory("pessimism-latency-");
        try (ServiceStack services = new ServiceStack()) {
            DevBroker broker = services.add("bench broker", new DevBroker(work.resolve("kafka"), Ports.free()));
            broker.start();
            EmbeddedSchemaRegistry registry = services.add("bench registry",
                    EmbeddedSchemaRegistry.builder().inMemory().host("127.0.0.1").port(0).build());
            registry.start();
            DevChain chain = services.add("layer1 anvil", new DevChain("layer1", Ports.free(), 900, Duration.ZERO,
                    work.resolve("anvil-layer1.log"), Optional.empty()));
            chain.start();
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("namespace", "latency");
            settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
            settings.put("schema.registry.url", registry.url());
            settings.put("state.dir", work.resolve("state").toString());
            settings.put("api.port", "0");
            settings.put("networks.layer1.rpc-url", chain.rpcUrl());
            settings.put("networks.layer1.ws-url", chain.wsUrl());
            settings.put("networks.layer2.enabled", "false");
            settings.put("pipelines.commit-interval", commitInterval.toMillis() + "ms");
            ServiceContext context = ServiceContext.of(PessimismConfig.defaults(settings));
            services.add("oracles", new OracleService(context.config(), context.topics())).start();
            EtlService etl = services.add("ETL service", EtlCommand.start(context));

            Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
            try {
                String from = web3j.ethAccounts().send().getAccounts().get(0);
                String contract = Demo.receipt(web3j, web3j.ethSendTransaction(Transaction.createContractTransaction(
                        from, null, null, BigInteger.valueOf(1_000_000), BigInteger.ZERO, Demo.creationBytecode()))
                        .send().getTransactionHash()).getContractAddress();
                PipelineCreated pipeline = PessimismClient.create(etl.apiUrl(), Optional.empty()).createPipeline(
                        new CreatePipelineRequest("layer1", "live", "event_log", null, null, "bench",
                                List.of(new CreatePipelineRequest.Interest(contract, List.of(PING)))));
                Topic<String, EventLogOutput> outTopic = context.topics().out(Demo.prefixOf(pipeline.topic()),
                        EventLogOutput.class);
                out.printf("bench latency: pipeline %s writes %s; mining a block with a Ping every %d ms%n",
                        pipeline.puuid(), outTopic.name(), interval.toMillis());
                return measure(web3j, from, contract, broker.bootstrapServers(), outTopic, blocks, warmups,
                        interval, commitInterval, out);
            } finally {
                web3j.shutdown();
            }
        }
    }

    private static Figures measure(Web3j web3j, String from, String contract, String bootstrapServers,
            Topic<String, EventLogOutput> outTopic, int blocks, int warmups, Duration interval, Duration commitInterval,
            PrintStream out)
            throws Exception {
        Map<Long, Long> minedAt = new ConcurrentHashMap<>();
        Map<Long, Long> arrivedAt = new ConcurrentHashMap<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        Thread reader = new Thread(() -> read(bootstrapServers, outTopic, arrivedAt, reading), "latency-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            List<Long> measured = new ArrayList<>();
            long next = System.nanoTime();
            long lastLine = next;
            for (int i = 1; i <= warmups + blocks; i++) {
                String data = FunctionEncoder.encode(new Function("ping",
                        List.of(new Address(from), new Uint256(BigInteger.valueOf(i))), List.of()));
                var sent = web3j.ethSendTransaction(Transaction.createFunctionCallTransaction(from, null, null,
                        BigInteger.valueOf(100_000), contract, data)).send();
                long mined = System.nanoTime(); // automine: the block is at the node when the call returns
                if (sent.hasError()) {
                    throw new IllegalStateException("bench latency: Ping " + i + " was refused: "
                            + sent.getError().getMessage());
                }
                long number = Demo.receipt(web3j, sent.getTransactionHash()).getBlockNumber().longValueExact();
                minedAt.put(number, mined);
                if (i == warmups) {
                    awaitArrival(arrivedAt, number, "the warm-up's last block " + number);
                }
                if (i > warmups) {
                    measured.add(number);
                }
                if (System.nanoTime() - lastLine > TimeUnit.SECONDS.toNanos(5)) {
                    lastLine = System.nanoTime();
                    out.printf("bench latency: %d/%d blocks (%d warm-up), %d records read%n", i, warmups + blocks,
                            warmups, arrivedAt.size());
                }
                next += interval.toNanos();
                long pause = next - System.nanoTime();
                if (pause > 0) {
                    TimeUnit.NANOSECONDS.sleep(pause); // the block interval: the bench's pace, not a wait for anything
                }
            }
            awaitArrival(arrivedAt, measured.get(measured.size() - 1), "the last measured block");
            List<Double> millis = new ArrayList<>();
            for (long number : measured) {
                Long arrived = arrivedAt.get(number);
                if (arrived == null) {
                    throw new IllegalStateException("bench latency: block " + number + "'s Ping never reached "
                            + outTopic.name());
                }
                millis.add((arrived - minedAt.get(number)) / 1e6);
            }
            Figures figures = new Figures(interval, commitInterval, millis);
            out.println(figures.line());
            return figures;
        } finally {
            reading.set(false);
            reader.join(5_000);
        }
    }

    private static void awaitArrival(Map<Long, Long> arrivedAt, long number, String what) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!arrivedAt.containsKey(number)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("bench latency: " + what + " did not reach .out within " + DEADLINE);
            }
            TimeUnit.MILLISECONDS.sleep(10); // polling the reader's map, bounded by the deadline
        }
    }

    /** Reads {@code .out} read_committed from its start, noting when each block's first record arrived. */
    private static void read(String bootstrapServers, Topic<String, EventLogOutput> outTopic,
            Map<Long, Long> arrivedAt, AtomicBoolean reading) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "pessimism-latency-bench");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5); // a risk engine waiting for each record
        try (KafkaConsumer<String, EventLogOutput> consumer = new KafkaConsumer<>(props,
                outTopic.keySerde().deserializer(), outTopic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(outTopic.name()));
            while (reading.get()) {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    long now = System.nanoTime();
                    if (r.value().getValue() != null && !r.value().getEnvelope().getRemoved()) {
                        arrivedAt.putIfAbsent(r.value().getEnvelope().getBlockNumber(), now);
                    }
                });
            }
        }
    }
}
