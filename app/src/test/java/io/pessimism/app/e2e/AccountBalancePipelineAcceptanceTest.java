package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.app.e2e.OutTopicReader.Keyed;
import io.pessimism.avro.AccountBalanceOutput;
import io.pessimism.avro.Envelope;
import io.pessimism.client.PessimismClient;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.BranchTx;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines of the {@code account_balance} register as a risk engine uses them: created with
 * {@code POST /v1/pipelines}, addresses added and removed through the API, the balances read from
 * {@code <prefix>.out} ({@code read_committed}), on a KRaft broker, anvil, and the stack
 * {@code pessimism dev} runs (GethBlock and AccountBalance oracles, ETL service).
 *
 * <p>The contract (docs/branches.md, "The account_balance delivery"): an owner gets a record of
 * address X at block N when its interest in X is effective at N and either X's balance changed at
 * N, or its interest became effective after the oracle's previous record of X. So a pipeline's
 * first record of an address is at the block its interest became effective (with the balance
 * there, changed or not), then one per block where the balance changed. Every record is compared
 * with {@code eth_getBalance} at its block hash.
 *
 * <p>Two live account_balance pipelines on one network are one pipeline (same PipelinePID), so
 * "another pipeline" here is one that backfills from block 0: never shared. Each test has a
 * namespace of its own, so its first pipeline is new and its initial interests effective from its
 * first block.
 */
class AccountBalancePipelineAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    /** Up to: the branch starting (topics, start position, rebalance), then blocks through both oracles. */
    private static final Duration DELIVERY = Duration.ofSeconds(45);
    private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);
    // fresh addresses (no balance on the dev chain), not precompiles
    private static final String A = "0xa000000000000000000000000000000000000001";
    private static final String C = "0xc000000000000000000000000000000000000003";
    private static final String D = "0xd000000000000000000000000000000000000004";
    private static final String W = "0xe000000000000000000000000000000000000005";

    @TempDir
    static Path stateRoot;

    private static EmbeddedSchemaRegistry schemaRegistry;
    private static ChainDriver chain;
    private static NodeReads node;
    private static OutTopicReader<AccountBalanceOutput> reader;

    @BeforeAll
    static void startSharedParts() {
        schemaRegistry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("bal-registry").schemas()).port(0).replicationFactor(1).build().start();
        chain = ChainDriver.connect(ANVIL.httpUrl());
        node = new NodeReads(ANVIL.httpUrl());
        reader = new OutTopicReader<>(KAFKA.bootstrapServers(), schemaRegistry.url(), AccountBalanceOutput.class);
    }

    @AfterAll
    static void stopSharedParts() {
        if (node != null) {
            node.close();
        }
        if (chain != null) {
            chain.close();
        }
        if (schemaRegistry != null) {
            schemaRegistry.close();
        }
    }

    @Test
    void eachPipelineGetsItsOwnAddressesOncePerBalanceChangeFromTheBlockItsInterestIsEffective() {
        // merges off: P2 stays a pipeline of its own after catching up (MergeAcceptanceTest covers merges)
        try (EtlStack stack = EtlStack.start("bal", endpoints(), stateRoot, Map.of("pipelines.merge-backfills", "false"))) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            PipelineCreated p1 = client.createPipeline(balances("owner-a", null, A));
            // P2 backfills from block 0, so it is a pipeline of its own; the oracle reads the balances of
            // the blocks it follows only, so P2's first record of C is at the first block read after its
            // creation, not at block 0 (docs/branches.md)
            PipelineCreated p2 = client.createPipeline(balances("owner-c", 0L, C));
            assertThat(p1.reused()).isFalse();
            assertThat(p2.reused()).as("a backfill from block 0 is a pipeline of its own").isFalse();
            assertThat(p2.topic()).isNotEqualTo(p1.topic());
            long start = client.showPipeline(p1.puuid()).startHeight();
            stack.awaitOraclesLive(DELIVERY);

            chain.mine(1); // the chain reaches P1's first block (at most the head + 1 when created)
            long a1 = transfer(A, ONE_ETH);
            long c1 = transfer(C, ONE_ETH);
            long a2 = transfer(A, ONE_ETH.shiftLeft(1));
            long a3 = transfer(A, BigInteger.ONE);
            reader.awaitRecord(p1.topic(), "A's balance at block " + a3, at(A, a3), DELIVERY);

            // P2 starts watching A: the oracle writes A's unchanged balance at e2 for P2, news to nobody in P1
            long e2 = client.addAddress(p2.puuid(), A, "owner-c").effectiveFrom();
            long d0 = transfer(D, ONE_ETH); // D is watched by nobody yet; A unchanged
            reader.awaitRecord(p2.topic(), "A's balance at block " + e2 + " for P2", at(A, e2), DELIVERY);
            // A leaves P1; P2 keeps the oracle reading A's balance
            client.removeAddress(p1.puuid(), A, "owner-a");
            long a4 = transfer(A, ONE_ETH);
            reader.awaitRecord(p2.topic(), "A's balance at block " + a4 + " for P2", at(A, a4), DELIVERY);

            long effective = client.addAddress(p1.puuid(), D, "owner-a").effectiveFrom();
            assertThat(effective).as("an interest accepted once block %d was read", a4).isGreaterThan(a4);
            chain.mine(1); // the chain reaches D's effective block
            long d1 = transfer(D, BigInteger.ONE);
            List<Keyed<AccountBalanceOutput>> out1 = reader.awaitKeyed(p1.topic(), "D's balance at block " + d1,
                    at(D, d1), DELIVERY);
            List<Keyed<AccountBalanceOutput>> out2 = reader.readKeyed(p2.topic());

            assertThat(out1).extracting(Delivered::of)
                    .as("P1, in offset order: A from P1's first block, once per change, none for P2's interest "
                            + "(block %d) nor after A's removal (block %d), none of P2's address C; D from its "
                            + "effective block %d, not from its change at %d", e2, a4, effective, d0)
                    .containsExactly(onChain(A, start, "owner-a"), onChain(A, a1, "owner-a"), onChain(A, a2, "owner-a"),
                            onChain(A, a3, "owner-a"), onChain(D, effective, "owner-a"), onChain(D, d1, "owner-a"));
            assertThat(out1).extracting(r -> new BigInteger(r.value().getValue().getBalance()))
                    .as("the balances the transfers made").containsExactly(BigInteger.ZERO, ONE_ETH, wei(3, 0),
                            wei(3, 1), ONE_ETH, wei(1, 1));
            assertEnvelopes(out1, p1, "owner-a");

            List<Delivered> ofC = out2.stream().map(Delivered::of).filter(d -> d.address().equals(C)).toList();
            assertThat(ofC).as("P2's address C: from the first block the oracle read for P2, then its change")
                    .hasSize(2).endsWith(onChain(C, c1, "owner-c"));
            assertThat(ofC.get(0)).isEqualTo(onChain(C, ofC.get(0).block(), "owner-c"));
            assertThat(ofC.get(0).balance()).isZero();
            assertThat(out2).extracting(Delivered::of).filteredOn(d -> !d.address().equals(C))
                    .as("P2's later address A: from its effective block, then its change; P1's D never")
                    .containsExactly(onChain(A, e2, "owner-c"), onChain(A, a4, "owner-c"));
            assertEnvelopes(out2, p2, "owner-c");
        }
    }

    @Test
    void aReorgThatChangesAWatchedBalanceRetractsTheOrphanedRecordThenTheCorrectedBalanceFollows() {
        try (EtlStack stack = EtlStack.start("bal-reorg", endpoints(), stateRoot)) {
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            PipelineCreated pipeline = client.createPipeline(balances("owner-r", null, W));
            assertThat(pipeline.reused()).isFalse();
            long start = client.showPipeline(pipeline.puuid()).startHeight();
            stack.awaitOraclesLive(DELIVERY);

            chain.mine(1);
            long w1 = transfer(W, ONE_ETH);
            long w2 = transfer(W, ONE_ETH); // orphaned below
            String orphan = node.hashAt(w2);
            BigInteger orphanBalance = node.balanceAt(W, orphan);
            reader.awaitRecord(pipeline.topic(), "W's balance at block " + w2 + " before the reorg",
                    r -> r.getValue().getBlockHash().equals(orphan), DELIVERY);

            chain.reorg(1, List.of(BranchTx.transfer(DevAccounts.address(1), W, wei(5, 0), 0)));
            String replacement = node.hashAt(w2);
            assertThat(replacement).as("block %d was replaced", w2).isNotEqualTo(orphan);
            List<Keyed<AccountBalanceOutput>> out = reader.awaitKeyed(pipeline.topic(),
                    "W's balance at the replacement of block " + w2, r -> r.getValue().getBlockHash().equals(replacement),
                    DELIVERY);

            Delivered orphaned = new Delivered(W, W, w2, orphan, orphanBalance, false, List.of("owner-r"));
            assertThat(out).extracting(Delivered::of)
                    .as("in offset order: W from the first block, its change, the orphaned change, its retraction, "
                            + "the balance at the new block %d", w2)
                    .containsExactly(onChain(W, start, "owner-r"), onChain(W, w1, "owner-r"), orphaned,
                            orphaned.retracted(), onChain(W, w2, "owner-r"));
            assertThat(out).extracting(r -> new BigInteger(r.value().getValue().getBalance()))
                    .containsExactly(BigInteger.ZERO, ONE_ETH, wei(2, 0), wei(2, 0), wei(6, 0));
            assertThat(out.get(3).value().getValue().getPreviousBalance()).as("the retraction restores")
                    .isEqualTo(ONE_ETH.toString());
            assertEnvelopes(out, pipeline, "owner-r");
        }
    }

    /** A record as a risk engine acts on it: key, address, cursor, balance, whether undone, and for whom. */
    private record Delivered(String key, String address, long block, String blockHash, BigInteger balance,
                             boolean removed, List<String> owners) {

        static Delivered of(Keyed<AccountBalanceOutput> record) {
            var value = record.value().getValue();
            return new Delivered(record.key(), value.getAddress(), value.getBlockNumber(), value.getBlockHash(),
                    new BigInteger(value.getBalance()), value.getRemoved(), record.value().getEnvelope().getOwners());
        }

        Delivered retracted() {
            return new Delivered(key, address, block, blockHash, balance, true, owners);
        }
    }

    /** The record {@code owner} should have of {@code address} at the canonical block {@code number}, as the node says. */
    private static Delivered onChain(String address, long number, String owner) {
        String hash = node.hashAt(number);
        return new Delivered(address, address, number, hash, node.balanceAt(address, hash), false, List.of(owner));
    }

    /** The envelope says what the value says, for the pipeline and register it is of. */
    private static void assertEnvelopes(List<Keyed<AccountBalanceOutput>> records, PipelineCreated pipeline,
                                        String owner) {
        assertThat(records).allSatisfy(r -> {
            Envelope envelope = r.value().getEnvelope();
            var value = r.value().getValue();
            assertThat(envelope.getPuuid()).isEqualTo(pipeline.puuid());
            assertThat(envelope.getPipelinePid()).isEqualTo(pipeline.pid());
            assertThat(envelope.getNetwork()).isEqualTo("layer1");
            assertThat(envelope.getRegister()).isEqualTo("account_balance");
            assertThat(envelope.getOwners()).containsExactly(owner);
            assertThat(envelope.getAddress()).isEqualTo(value.getAddress());
            assertThat(envelope.getBlockNumber()).isEqualTo(value.getBlockNumber());
            assertThat(envelope.getBlockHash()).isEqualTo(value.getBlockHash());
            assertThat(envelope.getRemoved()).isEqualTo(value.getRemoved());
            assertThat(value.getNetwork()).isEqualTo("layer1");
            assertThat(r.value().getMergedInto()).isNull();
        });
    }

    private static Predicate<AccountBalanceOutput> at(String address, long block) {
        return r -> r.getValue().getAddress().equals(address) && r.getValue().getBlockNumber() == block
                && !r.getValue().getRemoved();
    }

    /** Sends {@code wei} from dev account 0 to {@code to} in a block of its own; that block's number. */
    private static long transfer(String to, BigInteger wei) {
        return chain.transfer(to, wei).getBlockNumber().longValueExact();
    }

    /** {@code eth} ether plus {@code wei} wei. */
    private static BigInteger wei(long eth, long wei) {
        return ONE_ETH.multiply(BigInteger.valueOf(eth)).add(BigInteger.valueOf(wei));
    }

    private static CreatePipelineRequest balances(String owner, Long startHeight, String... addresses) {
        return new CreatePipelineRequest("layer1", "live", "account_balance", startHeight, null, owner,
                Arrays.stream(addresses).map(a -> new Interest(a, null)).toList());
    }

    private static EtlStack.Endpoints endpoints() {
        return new EtlStack.Endpoints(KAFKA.bootstrapServers(), schemaRegistry.url(), ANVIL.httpUrl(), ANVIL.wsUrl());
    }
}
