package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.app.e2e.Blocks.Call;
import io.pessimism.app.e2e.OutTopicReader.Keyed;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.BranchTx;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.chain.Emitter;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code geth_block} pipeline as a risk engine uses it: created with {@code POST /v1/pipelines}
 * from a start height, its {@code <prefix>.out} read {@code read_committed}, on a KRaft broker,
 * anvil and the stack {@code pessimism dev} runs. The records are held against the node's blocks
 * read over JSON-RPC (number, hash, parent hash, time, transactions, and the logs of the
 * transactions' receipts), across a reorg.
 */
class GethBlockPipelineAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    /** Up to: the branch starting (topics, start position, rebalance), then blocks through the oracle. */
    private static final Duration DELIVERY = Duration.ofSeconds(45);
    private static final String WHO = "0x00000000000000000000000000000000000000a1";
    private static final String OTHER = "0x00000000000000000000000000000000000000b2";

    @TempDir
    Path stateRoot;

    @Test
    void theOutIsTheChainFromTheStartWithItsLogsTheOrphansRetractedThenTheNewBranch() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("blocks-registry").schemas()).port(0).replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl());
             NodeReads node = new NodeReads(ANVIL.httpUrl());
             EtlStack stack = EtlStack.start("blocks", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                     ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot)) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            OutTopicReader<GethBlockOutput> reader = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                    GethBlockOutput.class);
            String contract = chain.deployEmitter();
            mineWithLogs(chain, contract, 1); // before the start: not delivered
            long start = mineWithLogs(chain, contract, 2);
            PipelineCreated pipeline = client.createPipeline(new CreatePipelineRequest("layer1", "live", "geth_block",
                    start, null, "owner-g", List.of()));
            assertThat(pipeline.reused()).isFalse();
            mineWithLogs(chain, contract, 3);
            chain.transfer(OTHER, BigInteger.TEN); // a block with a transaction and no log
            chain.mine(1); // and an empty one
            long head = chain.blockNumber();
            List<ChainBlock> before = range(node, start, head);
            assertThat(before).as("blocks with logs, then without").hasSize(4)
                    .allSatisfy(b -> assertThat(b.parentHash()).isEqualTo(node.hashAt(b.number() - 1)));
            assertThat(before.get(0).logs()).hasSize(3);
            reader.awaitRecord(pipeline.topic(), "block " + head + " before the reorg",
                    r -> r.getValue().getHash().equals(before.get(before.size() - 1).hash()), DELIVERY);

            // blocks head-1 and head replaced by two with a Ping and a Pong; one more block on top
            String from = DevAccounts.address(1);
            chain.reorg(2, List.of(BranchTx.call(from, contract, Emitter.pingCall(WHO, BigInteger.valueOf(41)), 0),
                    BranchTx.call(from, contract, Emitter.pongCall(WHO, BigInteger.valueOf(42)), 1)));
            long newHead = mineWithLogs(chain, contract, 4);
            assertThat(newHead).isEqualTo(head + 1);
            List<ChainBlock> after = range(node, head - 1, newHead);
            assertThat(after).extracting(ChainBlock::hash).as("the new branch")
                    .doesNotContainAnyElementsOf(before.stream().map(ChainBlock::hash).toList());
            assertThat(after).allSatisfy(b -> assertThat(b.logs()).isNotEmpty());
            List<Keyed<GethBlockOutput>> out = reader.awaitKeyed(pipeline.topic(), "block " + newHead + " after the reorg",
                    r -> r.getValue().getHash().equals(after.get(after.size() - 1).hash()), DELIVERY);

            List<Delivered> expected = new ArrayList<>();
            before.forEach(b -> expected.add(new Delivered(b, false)));
            expected.add(new Delivered(before.get(before.size() - 1), true));
            expected.add(new Delivered(before.get(before.size() - 2), true));
            after.forEach(b -> expected.add(new Delivered(b, false)));
            assertThat(out).extracting(Delivered::of)
                    .as("in offset order: blocks %d..%d, the retractions of %d then %d, the new blocks %d..%d",
                            start, head, head, head - 1, head - 1, newHead)
                    .containsExactlyElementsOf(expected);
            assertThat(out).allSatisfy(r -> {
                Envelope envelope = r.value().getEnvelope();
                assertThat(r.key()).isEqualTo(Long.toString(r.value().getValue().getNumber()));
                assertThat(envelope.getPuuid()).isEqualTo(pipeline.puuid());
                assertThat(envelope.getPipelinePid()).isEqualTo(pipeline.pid());
                assertThat(envelope.getNetwork()).isEqualTo("layer1");
                assertThat(envelope.getRegister()).isEqualTo("geth_block");
                assertThat(envelope.getOwners()).as("a block is for every owner").isEmpty();
                assertThat(envelope.getAddress()).isNull();
                assertThat(envelope.getBlockNumber()).isEqualTo(r.value().getValue().getNumber());
                assertThat(envelope.getBlockHash()).isEqualTo(r.value().getValue().getHash());
                assertThat(envelope.getRemoved()).isEqualTo(r.value().getValue().getRemoved());
                assertThat(r.value().getValue().getNetwork()).isEqualTo("layer1");
            });

            assertThat(canonicalView(out)).as("the records with the retracted ones undone")
                    .containsExactlyElementsOf(range(node, start, newHead));
        }
    }

    /** A block record as the risk engine acts on it: which block, and whether it is undone. */
    private record Delivered(ChainBlock block, boolean removed) {

        static Delivered of(Keyed<GethBlockOutput> record) {
            return new Delivered(ChainBlock.of(record.value().getValue()), record.value().getValue().getRemoved());
        }
    }

    /** The blocks a consumer holds after applying every record in order: a retraction undoes its block. */
    private static List<ChainBlock> canonicalView(List<Keyed<GethBlockOutput>> records) {
        TreeMap<Long, ChainBlock> view = new TreeMap<>();
        for (Keyed<GethBlockOutput> record : records) {
            ChainBlock block = ChainBlock.of(record.value().getValue());
            if (record.value().getValue().getRemoved()) {
                assertThat(view.remove(block.number())).as("a retraction undoes a block delivered before")
                        .isEqualTo(block);
            } else {
                assertThat(view.put(block.number(), block)).as("block %d delivered twice", block.number()).isNull();
            }
        }
        return List.copyOf(view.values());
    }

    /**
     * Mines one block holding a Ping, a Pong and a Transfer of {@code contract} (three transactions,
     * three logs, values from {@code round}); its number.
     */
    private static long mineWithLogs(ChainDriver chain, String contract, int round) {
        BigInteger value = BigInteger.valueOf(round);
        return Blocks.mineTogether(chain, List.of(new Call(contract, Emitter.pingCall(WHO, value)),
                new Call(contract, Emitter.pongCall(WHO, value)),
                new Call(contract, Emitter.transferCall(WHO, OTHER, value)))).get(0).getBlockNumber().longValueExact();
    }

    /** The node's canonical blocks {@code from..to}, now. */
    private static List<ChainBlock> range(NodeReads node, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(node::blockAt).toList();
    }
}
