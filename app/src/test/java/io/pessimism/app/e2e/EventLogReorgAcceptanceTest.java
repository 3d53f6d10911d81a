package io.pessimism.app.e2e;

import static io.pessimism.testkit.chain.Emitter.PING_SIGNATURE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.BranchTx;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.chain.Emitter;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A reorg through the whole stack (anvil → oracle → event_log branch → {@code .out}): a watched
 * event on a block that gets orphaned is delivered, then retracted with {@code removed=true}, and
 * the new branch's events follow.
 */
class EventLogReorgAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    /** Up to: the branch starting, then blocks (and the oracle's reorg check) through to {@code .out}. */
    private static final Duration DELIVERY = Duration.ofSeconds(45);
    private static final String WHO = "0x00000000000000000000000000000000000000a1";

    @TempDir
    Path stateRoot;

    @Test
    void aWatchedEventOnAnOrphanedBlockIsRetractedAndTheNewBranchFollows() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("reorg-registry").schemas()).port(0).replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             EtlStack stack = EtlStack.start("reorg", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                     ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot)) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            OutTopicReader<EventLogOutput> reader = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                    EventLogOutput.class);
            String contract = chain.deployEmitter();
            PipelineCreated pipeline = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
                    null, null, "owner-r", List.of(new Interest(contract, List.of(PING_SIGNATURE)))));

            TransactionReceipt orphaned = chain.emitPing(contract, WHO, BigInteger.ONE);
            ChainLog orphanedLog = ChainLog.of(orphaned.getLogs().get(0));
            reader.awaitRecord(pipeline.topic(), "the Ping of block " + orphanedLog.blockNumber() + " before the reorg",
                    r -> ChainLog.of(r.getValue()).equals(orphanedLog), DELIVERY);

            chain.reorg(1, List.of(BranchTx.call(DevAccounts.get(0).getAddress(), contract,
                    Emitter.pingCall(WHO, BigInteger.TWO), 0)));
            assertThat(chain.blockHash(orphanedLog.blockNumber())).as("block %d was replaced", orphanedLog.blockNumber())
                    .isNotEqualTo(orphanedLog.blockHash());
            ChainLog last = ChainLog.of(chain.emitPing(contract, WHO, BigInteger.valueOf(3)).getLogs().get(0));
            List<EventLogOutput> records = reader.awaitRecord(pipeline.topic(), "the Ping after the reorg, " + last.id(),
                    r -> ChainLog.of(r.getValue()).equals(last), DELIVERY);

            List<ChainLog> canonical = canonicalLogs(chain, contract, orphanedLog.blockNumber());
            assertThat(canonical).as("the new branch's Ping, then the one after").hasSize(2).endsWith(last);
            List<Delivered> expected = new ArrayList<>();
            expected.add(new Delivered(orphanedLog, false));
            expected.add(new Delivered(orphanedLog, true));
            canonical.forEach(log -> expected.add(new Delivered(log, false)));
            assertThat(records).extracting(Delivered::of)
                    .as("in offset order: the orphaned Ping, its retraction, the canonical Pings")
                    .containsExactlyElementsOf(expected);
            assertThat(records).allSatisfy(r -> {
                assertThat(r.getEnvelope().getRemoved()).isEqualTo(r.getValue().getRemoved());
                assertThat(r.getEnvelope().getBlockHash()).isEqualTo(r.getValue().getBlockHash());
                assertThat(r.getEnvelope().getOwners()).containsExactly("owner-r");
            });
        }
    }

    @Test
    void aReorgDeeperThanTheOraclesWindowPutsThePipelineInErrorWithTheOraclesReason() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("deep-registry").schemas()).port(0).replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             EtlStack stack = EtlStack.start("deep", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                     ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot, Map.of("networks.layer1.reorg-window", "3"))) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            String contract = chain.deployEmitter();
            PipelineCreated pipeline = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
                    null, null, "owner-d", List.of(new Interest(contract, List.of(PING_SIGNATURE)))));
            chain.mine(6);
            long head = chain.blockNumber();
            PipelineView live = await("the pipeline runs and knows its source's head " + head).atMost(DELIVERY)
                    .until(() -> client.showPipeline(pipeline.puuid()), p -> p.status() != null
                            && p.status().state().equals("live") && Long.valueOf(head).equals(p.status().headHeight())
                            && p.status().height() != null);
            assertThat(live.status().lag()).as("the lag is the source's head minus the branch's height")
                    .isEqualTo(head - live.status().height());

            chain.reorg(5, List.of());
            chain.mine(1);
            PipelineView failed = await("the pipeline reports the oracle's failure").atMost(DELIVERY)
                    .until(() -> client.showPipeline(pipeline.puuid()),
                            p -> p.status() != null && p.status().state().equals("error"));
            assertThat(failed.status().reason()).contains("geth_block", "layer1", "FAILED",
                    "reorg deeper than the reorg window of 3 blocks");
        }
    }

    /** A record as the risk engine acts on it: which log, and whether it is undone. */
    private record Delivered(ChainLog log, boolean removed) {

        static Delivered of(EventLogOutput record) {
            return new Delivered(ChainLog.of(record.getValue()), record.getValue().getRemoved());
        }
    }

    /** The contract's logs on the canonical chain from block {@code from} on, as the node serves them now. */
    private static List<ChainLog> canonicalLogs(ChainDriver chain, String contract, long from) {
        try {
            EthLog logs = chain.web3j().ethGetLogs(new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                    DefaultBlockParameterName.LATEST, contract)).send();
            if (logs.hasError()) {
                throw new IllegalStateException("eth_getLogs of " + contract + " from " + from + ": "
                        + logs.getError().getMessage());
            }
            return logs.getLogs().stream().map(result -> ChainLog.of((Log) result.get())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("eth_getLogs of " + contract + " from " + from, e);
        }
    }
}
