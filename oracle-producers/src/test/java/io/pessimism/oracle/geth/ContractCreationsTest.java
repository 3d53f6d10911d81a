package io.pessimism.oracle.geth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.Block;
import io.pessimism.avro.CreatedContract;
import io.pessimism.avro.CreationKind;
import io.pessimism.avro.Transaction;
import io.pessimism.config.ContractCreations;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.support.TestTopics;
import io.pessimism.oracle.support.TopicReader;
import io.pessimism.oracle.support.TopicReader.Entry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.chain.Emitter;
import io.pessimism.testkit.chain.Factory;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The GethBlock oracle's {@code contract-creations} against a real anvil: one block holding a
 * deployment by an EOA, a factory's CREATE and CREATE2, and a factory creation inside a reverted
 * call; each setting's blocks carry what it promises, equal to what the node's receipts and the
 * factory's events say. The reorg retraction and the BackTestRoutine carry the same.
 */
class ContractCreationsTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private static Anvil anvil;
    private static ChainDriver chain;
    private static String deployer;
    private static String factory;
    /** The block with the creations, and what the node says about it. */
    private static long creationsBlock;
    private static TransactionReceipt deployment;
    private static TransactionReceipt created;
    private static TransactionReceipt created2;
    private static TransactionReceipt reverted;

    @BeforeAll
    static void mineTheCreations() {
        anvil = Anvil.builder().start();
        chain = ChainDriver.connect(anvil.httpUrl());
        deployer = DevAccounts.address(0).toLowerCase();
        factory = chain.deployFactory();
        chain.transfer("0x00000000000000000000000000000000000000b2", BigInteger.TEN); // a block without creations
        chain.setAutomine(false);
        List<String> hashes = new ArrayList<>();
        hashes.add(chain.submit(DevAccounts.get(0), null, BigInteger.ZERO, Emitter.creationBytecode()));
        hashes.add(chain.submit(DevAccounts.get(0), factory, BigInteger.ZERO, Factory.createCall(BigInteger.ONE)));
        byte[] salt = new byte[32];
        Arrays.fill(salt, (byte) 7);
        hashes.add(chain.submit(DevAccounts.get(0), factory, BigInteger.ZERO, Factory.create2Call(BigInteger.TWO, salt)));
        hashes.add(chain.submit(DevAccounts.get(0), factory, BigInteger.ZERO,
                Factory.createRevertedCall(BigInteger.valueOf(3))));
        chain.mine(1);
        chain.setAutomine(true);
        List<TransactionReceipt> receipts = chain.receipts(hashes);
        deployment = receipts.get(0);
        created = receipts.get(1);
        created2 = receipts.get(2);
        reverted = receipts.get(3);
        creationsBlock = deployment.getBlockNumber().longValueExact();
        assertThat(receipts).as("one block, every transaction successful")
                .allSatisfy(r -> assertThat(r.getBlockNumber().longValueExact()).isEqualTo(creationsBlock))
                .allSatisfy(r -> assertThat(r.isStatusOK()).isTrue());
        assertThat(Factory.createdChildren(created)).hasSize(1);
        assertThat(Factory.createdChildren(created2)).hasSize(1);
        assertThat(Factory.createdChildren(reverted)).as("the reverted call's Child and event are undone").isEmpty();
        chain.mine(1); // one more empty block on top
    }

    @AfterAll
    static void stopNode() {
        chain.close();
        anvil.close();
    }

    private static OracleSettings.Builder settings(ContractCreations creations) {
        return OracleSettings.builder(Network.LAYER1, anvil.httpUrl(), KAFKA.bootstrapServers())
                .batchSize(4).concurrency(2).pollInterval(Duration.ofMillis(50)).contractCreations(creations);
    }

    /** Runs an oracle until it has written the head; the blocks of its topic. */
    private static List<Block> written(ContractCreations creations, String namespace) {
        Topic<String, Block> topic = TestTopics.blocks(namespace, Network.LAYER1);
        long head = chain.blockNumber();
        try (GethBlockOracle oracle = new GethBlockOracle(settings(creations).build(), topic)) {
            oracle.start();
            await("the " + creations + " oracle writes up to block " + head).atMost(CATCH_UP)
                    .until(() -> oracle.status().oracleHead() == head);
        }
        return TopicReader.readSettled(KAFKA.bootstrapServers(), topic.name(), topic.valueSerde().deserializer())
                .stream().map(Entry::block).toList();
    }

    private static CreatedContract contract(TransactionReceipt receipt, int index, String creator, String address,
            CreationKind kind) {
        return new CreatedContract(receipt.getTransactionHash(), index, creator, address, kind);
    }

    private static String deployed() {
        return deployment.getContractAddress().toLowerCase();
    }

    @Test
    void tracesListTheDeploymentAndTheFactorysCreationsButNotTheRevertedOne() {
        List<Block> blocks = written(ContractCreations.TRACES, "cc-traces");

        Block block = blocks.get((int) creationsBlock);
        String child = Factory.createdChildren(created).get(0);
        String child2 = Factory.createdChildren(created2).get(0);
        assertThat(block.getCreatedContracts()).containsExactly(
                contract(deployment, 0, deployer, deployed(), CreationKind.TRANSACTION),
                contract(created, 1, factory, child, CreationKind.CREATE),
                contract(created2, 2, factory, child2, CreationKind.CREATE2));
        assertThat(List.of(deployed(), child, child2)).as("contracts exist at every created address")
                .allSatisfy(address -> assertThat(chain.code(address)).isNotEqualTo("0x"));
        assertContractAddressIsTheReceipts(block);
        assertThat(blocks).filteredOn(b -> b.getNumber() != creationsBlock)
                .extracting(Block::getNumber, Block::getCreatedContracts)
                .as("the factory's own deployment in block 1, nothing in the others")
                .containsExactly(tuple(0L, List.of()),
                        tuple(1L, List.of(new CreatedContract(blocks.get(1).getTransactions().get(0).getHash(), 0,
                                deployer, factory, CreationKind.TRANSACTION))),
                        tuple(2L, List.of()), tuple(creationsBlock + 1, List.of()));
    }

    @Test
    void receiptsListTheDeploymentOnly() {
        List<Block> blocks = written(ContractCreations.RECEIPTS, "cc-receipts");

        Block block = blocks.get((int) creationsBlock);
        assertThat(block.getCreatedContracts())
                .containsExactly(contract(deployment, 0, deployer, deployed(), CreationKind.TRANSACTION));
        assertContractAddressIsTheReceipts(block);
        assertThat(blocks.get(2).getCreatedContracts()).as("a block without creations").isEmpty();
    }

    @Test
    void offLeavesTheListOut() {
        List<Block> blocks = written(ContractCreations.OFF, "cc-off");

        assertThat(blocks).extracting(Block::getCreatedContracts).containsOnlyNulls();
        assertThat(blocks.get((int) creationsBlock).getTransactions().get(0).getTo()).isNull();
    }

    @Test
    void theBackTestRoutineWritesTheSameBlock() throws Exception {
        Topic<String, Block> blocks = TestTopics.blocks("cc-backtest", Network.LAYER1);
        String target = "cc-backtest.layer1.range";
        OracleStatus status = new GethBlockBackTest(settings(ContractCreations.TRACES).build(), blocks)
                .run(creationsBlock, creationsBlock, target);

        assertThat(status.state()).isEqualTo(OracleState.DONE);
        List<Block> written = TopicReader.readSettled(KAFKA.bootstrapServers(), target,
                blocks.valueSerde().deserializer()).stream().map(Entry::block).toList();
        assertThat(written).singleElement().extracting(Block::getCreatedContracts)
                .isEqualTo(written(ContractCreations.TRACES, "cc-backtest-live").get((int) creationsBlock)
                        .getCreatedContracts());
    }

    /** A creating transaction's contractAddress is its receipt's; a call's is null. */
    private static void assertContractAddressIsTheReceipts(Block block) {
        assertThat(block.getTransactions()).extracting(Transaction::getHash, Transaction::getContractAddress)
                .containsExactly(tuple(deployment.getTransactionHash(), deployed()),
                        tuple(created.getTransactionHash(), null),
                        tuple(created2.getTransactionHash(), null),
                        tuple(reverted.getTransactionHash(), null));
    }
}
