package io.pessimism.app.dev;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;

/**
 * {@code pessimism dev --demo}: deploys the event emitter contract on layer1, creates a live
 * event_log pipeline watching its {@code Ping(address,uint256)} for the owner {@code demo}, then
 * emits a Ping every few seconds and prints each record arriving on the pipeline's {@code .out}.
 * The chain's dev accounts are unlocked, so no keys are needed.
 */
public final class Demo implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    static final String SIGNATURE = "Ping(address,uint256)";
    private static final Duration EMIT_EVERY = Duration.ofSeconds(3);

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Web3j web3j;
    private final Thread emitter;
    private final Thread reader;

    private Demo(Web3j web3j, String from, String contract, String bootstrapServers,
                 Topic<String, EventLogOutput> outTopic, PrintWriter out) {
        this.web3j = web3j;
        this.emitter = new Thread(() -> emit(from, contract), "pessimism-demo-emitter");
        this.reader = new Thread(() -> print(bootstrapServers, outTopic, out), "pessimism-demo-reader");
        emitter.setDaemon(true);
        reader.setDaemon(true);
    }

    /** Deploys, creates the pipeline, and starts emitting and printing; returns once the pipeline exists. */
    public static Demo start(String layer1RpcUrl, String apiUrl, String bootstrapServers, Topics topics,
                             PrintWriter out) throws IOException {
        Web3j web3j = Web3j.build(new HttpService(layer1RpcUrl));
        String from = web3j.ethAccounts().send().getAccounts().get(0);
        String contract = receipt(web3j, web3j.ethSendTransaction(Transaction.createContractTransaction(
                from, null, null, BigInteger.valueOf(1_000_000), BigInteger.ZERO, creationBytecode()))
                .send().getTransactionHash()).getContractAddress();

        PipelineCreated pipeline = PessimismClient.create(apiUrl, Optional.empty()).createPipeline(
                new CreatePipelineRequest("layer1", "live", "event_log", null, null, "demo",
                        List.of(new CreatePipelineRequest.Interest(contract, List.of(SIGNATURE)))));
        out.printf("demo: emitter contract %s on layer1; pipeline %s (reused=%s) writes %s%n",
                contract, pipeline.puuid(), pipeline.reused(), pipeline.topic());
        out.flush();

        Demo demo = new Demo(web3j, from, contract, bootstrapServers,
                topics.out(prefixOf(pipeline.topic()), EventLogOutput.class), out);
        demo.emitter.start();
        demo.reader.start();
        return demo;
    }

    static String prefixOf(String outTopic) {
        return outTopic.substring(0, outTopic.length() - ".out".length());
    }

    private void emit(String from, String contract) {
        for (long n = 1; running.get(); n++) {
            String data = FunctionEncoder.encode(new Function("ping",
                    List.of(new Address(from), new Uint256(BigInteger.valueOf(n))), List.of()));
            try {
                web3j.ethSendTransaction(Transaction.createFunctionCallTransaction(from, null, null,
                        BigInteger.valueOf(100_000), contract, data)).send();
                Thread.sleep(EMIT_EVERY.toMillis()); // the demo's pace, not a synchronisation
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                log.warn("demo: could not send a Ping: {}", e.toString());
            }
        }
    }

    private void print(String bootstrapServers, Topic<String, EventLogOutput> out, PrintWriter printer) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "pessimism-demo");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, EventLogOutput> consumer = new KafkaConsumer<>(p,
                out.keySerde().deserializer(), out.valueSerde().deserializer())) {
            consumer.subscribe(List.of(out.name()));
            while (running.get()) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> {
                    var e = r.value().getEnvelope();
                    printer.printf("demo: %s block %d log %d from %s for %s%s%n", out.name(), e.getBlockNumber(),
                            r.value().getValue().getLogIndex(), e.getAddress(), e.getOwners(),
                            e.getRemoved() ? " (retracted)" : "");
                    printer.flush();
                });
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                log.warn("demo: reading {} failed: {}", out.name(), e.toString());
            }
        }
    }

    static TransactionReceipt receipt(Web3j web3j, String txHash) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            var receipt = web3j.ethGetTransactionReceipt(txHash).send().getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            try {
                Thread.sleep(100); // polling for the receipt; bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("demo: the emitter contract was not mined within 30 s (tx " + txHash + ")");
    }

    static String creationBytecode() {
        try (InputStream in = Demo.class.getResourceAsStream("/contracts/Emitter.bin")) {
            if (in == null) {
                throw new IllegalStateException("demo: contracts/Emitter.bin is missing from the jar");
            }
            String hex = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return hex.startsWith("0x") ? hex : "0x" + hex;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        running.set(false);
        emitter.interrupt();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        web3j.shutdown();
    }
}
