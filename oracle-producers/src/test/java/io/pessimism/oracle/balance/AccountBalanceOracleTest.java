package io.pessimism.oracle.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AddressInterest;
import io.pessimism.config.KafkaConnection;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.BranchTx;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.core.DefaultBlockParameter;

/**
 * The AccountBalance oracle on a real broker and anvil, fed interests through {@code <ns>.state}
 * exactly as the documented contract says (interests, then the horizon that covers them).
 */
class AccountBalanceOracleTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final String WATCHED = "0x1000000000000000000000000000000000000001";
    private static final String OTHER = "0x2000000000000000000000000000000000000002";
    private static final String LATER = "0x3000000000000000000000000000000000000003";
    private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);

    private Topics topics;
    private Topic<String, AddressInterest> state;
    private String puuid;
    private ChainDriver chain;
    private KafkaProducer<String, AddressInterest> interests;
    private GethBlockOracle blocks;
    private AccountBalanceOracle balances;

    /** The block and balance oracles of namespace {@code ns} on the shared broker and anvil, not started. */
    private void open(String ns) {
        topics = new Topics(new TopicNames(ns), InProcessSchemaRegistry.inMemory(), -1);
        OracleSettings settings = OracleSettings.builder(Network.LAYER1, ANVIL.httpUrl(), KAFKA.bootstrapServers())
                .pollInterval(Duration.ofMillis(50)).build();
        puuid = PUUID.random(PipelinePID.of(PipelineType.LIVE,
                Registry.standard().resolve("account_balance", Network.LAYER1))).toString();
        state = topics.state();
        TopicAdmin.ensure(KafkaConnection.plaintext(KAFKA.bootstrapServers()), (short) 1, state);
        chain = ChainDriver.connect(ANVIL.httpUrl());
        interests = producer(state);
        blocks = new GethBlockOracle(settings, topics.blocks(Network.LAYER1));
        balances = new AccountBalanceOracle(settings, BalanceTopics.of(topics, Network.LAYER1), Registry.standard());
    }

    @AfterEach
    void close() {
        for (AutoCloseable closeable : new AutoCloseable[] {balances, blocks, interests, chain}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException("closing " + closeable, e);
            }
        }
    }

    @Test
    void oneExactRecordPerChangeOfAWatchedBalanceAndNoneForOthers() throws Exception {
        open("bal");
        long start = chain.blockNumber() + 1;
        horizon(interests, state.name(), start - 1); // what the control plane would have confirmed: nothing watched yet
        blocks.start();
        balances.start();
        // on its first start the oracle follows the block topic from its end: wait until it does
        await("the balance oracle follows the block topic").atMost(Duration.ofSeconds(60))
                .until(() -> balances.status().state().name().equals("LIVE")
                        && blocks.status().oracleHead() == start - 1);
        watch(interests, state.name(), puuid, WATCHED, "alice", start);
        horizon(interests, state.name(), start + 3);
        chain.transfer(WATCHED, ONE_ETH);          // start: first seen
        chain.transfer(OTHER, ONE_ETH);            // start + 1: not watched, unchanged
        chain.transfer(WATCHED, ONE_ETH.shiftLeft(1)); // start + 2: changed
        chain.transfer(WATCHED, BigInteger.ONE);   // start + 3: changed by one wei
        await("the oracle passed block " + (start + 3)).atMost(Duration.ofSeconds(60))
                .until(() -> balances.status().oracleHead() >= start + 3);

        interests.send(new ProducerRecord<>(state.name(), new InterestKey(puuid, WATCHED, "alice").render(), null));
        watch(interests, state.name(), puuid, LATER, "bob", start + 4);
        horizon(interests, state.name(), start + 10);
        chain.transfer(WATCHED, ONE_ETH);          // start + 4: no longer watched; LATER first seen (0 wei)
        chain.transfer(LATER, ONE_ETH);            // start + 5: changed
        await("the oracle passed block " + (start + 5)).atMost(Duration.ofSeconds(60))
                .until(() -> balances.status().oracleHead() >= start + 5);

        List<AccountBalance> out = read(topics.balances(Network.LAYER1));
        assertThat(out).extracting(AccountBalance::getAddress, AccountBalance::getBlockNumber).containsExactly(
                org.assertj.core.groups.Tuple.tuple(WATCHED, start),
                org.assertj.core.groups.Tuple.tuple(WATCHED, start + 2),
                org.assertj.core.groups.Tuple.tuple(WATCHED, start + 3),
                org.assertj.core.groups.Tuple.tuple(LATER, start + 4),
                org.assertj.core.groups.Tuple.tuple(LATER, start + 5));
        for (AccountBalance record : out) {
            assertThat(new BigInteger(record.getBalance())).as("%s at %d", record.getAddress(), record.getBlockNumber())
                    .isEqualTo(balanceAt(chain, record.getAddress(), record.getBlockNumber()));
            assertThat(record.getBlockHash()).isEqualTo(chain.blockHash(record.getBlockNumber()));
            assertThat(record.getRemoved()).isFalse();
        }
        assertThat(out.get(0).getPreviousBalance()).isNull();
        assertThat(out.get(1).getPreviousBalance()).isEqualTo(out.get(0).getBalance());
        assertThat(out.get(1).getPreviousBlockNumber()).isEqualTo(start);
        assertThat(out.get(3).getBalance()).isEqualTo("0");
    }

    @Test
    void aReorgThatChangesAWatchedBalanceRetractsTheOldRecordThenTheCorrectedOneFollows() throws Exception {
        open("balreorg");
        long start = chain.blockNumber() + 1;
        watch(interests, state.name(), puuid, WATCHED, "alice", start);
        horizon(interests, state.name(), start + 100);
        blocks.start();
        balances.start();
        await("the balance oracle follows the block topic").atMost(Duration.ofSeconds(60))
                .until(() -> balances.status().state().name().equals("LIVE")
                        && blocks.status().oracleHead() == start - 1);
        chain.transfer(WATCHED, ONE_ETH);          // start
        chain.transfer(WATCHED, ONE_ETH);          // start + 1, orphaned below
        String orphan = chain.blockHash(start + 1);
        await("the oracle passed block " + (start + 1)).atMost(Duration.ofSeconds(60))
                .until(() -> balances.status().oracleHead() >= start + 1);

        chain.reorg(1, List.of(BranchTx.transfer(DevAccounts.address(1), WATCHED, ONE_ETH.multiply(
                BigInteger.valueOf(5)), 0)));
        String canonical = chain.blockHash(start + 1);
        await("the retraction and the corrected balance are out").atMost(Duration.ofSeconds(60))
                .until(() -> read(topics.balances(Network.LAYER1)).size() >= 4);

        List<AccountBalance> out = read(topics.balances(Network.LAYER1));
        assertThat(out).extracting(AccountBalance::getBlockHash, AccountBalance::getBalance,
                AccountBalance::getRemoved).containsExactly(
                org.assertj.core.groups.Tuple.tuple(chain.blockHash(start), wei(balanceAt(chain, WATCHED, start)),
                        false),
                org.assertj.core.groups.Tuple.tuple(orphan, out.get(1).getBalance(), false),
                org.assertj.core.groups.Tuple.tuple(orphan, out.get(1).getBalance(), true),
                org.assertj.core.groups.Tuple.tuple(canonical, wei(balanceAt(chain, WATCHED, start + 1)), false));
        assertThat(new BigInteger(out.get(1).getBalance())).as("the orphaned block's balance")
                .isEqualTo(new BigInteger(out.get(0).getBalance()).add(ONE_ETH));
        assertThat(out.get(3).getPreviousBalance()).as("compared with the balance that stands again")
                .isEqualTo(out.get(0).getBalance());
        assertThat(out.get(3).getPreviousBlockNumber()).isEqualTo(start);
    }

    @Test
    void theBalanceHistoryRoutineWritesItsRangesRecordsOnceAndResumesWhenItsEndMovesLater() throws Exception {
        open("balhist");
        long start = chain.blockNumber() + 1;
        String later = OTHER; // watched from start + 4 only: its earlier change is no news
        List<String> receivers = List.of(WATCHED, LATER, WATCHED, later, LATER, LATER, later, WATCHED, LATER, LATER,
                LATER);
        for (String receiver : receivers) {
            chain.transfer(receiver, ONE_ETH); // one block each: start .. start + 10
        }
        watch(interests, state.name(), puuid, WATCHED, "alice", start);
        watch(interests, state.name(), puuid, later, "bob", start + 4);
        OracleSettings base = OracleSettings.builder(Network.LAYER1, ANVIL.httpUrl(), KAFKA.bootstrapServers())
                .confirmations(0).batchSize(4).pollInterval(Duration.ofMillis(50)).build();
        AccountBalanceBackTest history = new AccountBalanceBackTest(base, BalanceTopics.of(topics, Network.LAYER1),
                Registry.standard());
        String source = "balhist.backtest.0123456789abcdef0123456789abcdef.source";

        assertThat(history.run(start, start + 5, source).state()).isEqualTo(io.pessimism.oracle.OracleState.DONE);
        var done = history.run(start, start + 10, source); // its end moved later: it goes on after start + 5
        assertThat(done.state()).isEqualTo(io.pessimism.oracle.OracleState.DONE);
        assertThat(done.oracleHead()).isEqualTo(start + 10);

        List<AccountBalance> expected = ExpectedBalances.of(chain.web3j(), "layer1", Map.of(WATCHED, start, later,
                start + 4), start + 10);
        assertThat(expected).as("alice's three changes, bob's first balance and his change").hasSize(5);
        Topic<String, AccountBalance> written = BalanceTopics.of(topics, Network.LAYER1).into(source).output();
        assertThat(await("the last transaction is visible to read_committed").atMost(Duration.ofSeconds(10))
                .until(() -> read(written), out -> out.size() >= expected.size()))
                .as("each record once, as the node's balances imply").containsExactlyElementsOf(expected);
    }

    private static String wei(BigInteger value) {
        return value.toString();
    }

    private static BigInteger balanceAt(ChainDriver chain, String address, long block) throws Exception {
        return chain.web3j().ethGetBalance(address, DefaultBlockParameter.valueOf(BigInteger.valueOf(block))).send()
                .getBalance();
    }

    private static void watch(KafkaProducer<String, AddressInterest> producer, String topic, String puuid,
            String address, String owner, long effectiveFrom) throws Exception {
        AddressInterest interest = AddressInterest.newBuilder().setPuuid(puuid).setAddress(address).setOwner(owner)
                .setSignatures(List.of()).setEffectiveFrom(effectiveFrom).build();
        producer.send(new ProducerRecord<>(topic, InterestKey.of(interest).render(), interest)).get();
    }

    private static void horizon(KafkaProducer<String, AddressInterest> producer, String topic, long height)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, InterestHorizon.key(Network.LAYER1),
                InterestHorizon.record(Network.LAYER1, height))).get();
    }

    private static KafkaProducer<String, AddressInterest> producer(Topic<String, AddressInterest> state) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), state.valueSerde().serializer());
    }

    private static List<AccountBalance> read(Topic<String, AccountBalance> topic) {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        try (KafkaConsumer<String, AccountBalance> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            List<AccountBalance> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, AccountBalance> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.key()).isEqualTo(Long.toString(record.value().getBlockNumber()));
                    if (!record.value().getProgress()) { // a transaction's progress mark: no balance
                        records.add(record.value());
                    }
                }
            }
            assertThat(consumer.position(partition)).as("read to the end of " + topic.name()).isGreaterThanOrEqualTo(end);
            return records;
        }
    }
}
