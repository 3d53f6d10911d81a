package io.pessimism.delivery;

import static io.pessimism.topology.TestPipelines.interest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AccountBalanceOutput;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.topology.BranchDriver;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.TestBlocks;
import io.pessimism.topology.TestPipelines;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production branch of a live account_balance pipeline in a TopologyTestDriver: the oracle's
 * shared topic holds every pipeline's balance records; the branch delivers those that are news to
 * owners of its own pipeline, tagged with exactly them.
 */
class AccountBalanceBranchTest {

    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String B = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);

    @TempDir
    Path stateDir;

    private BranchDriver branch;

    @BeforeEach
    void start() {
        branch = new BranchDriver(Registry.standard(), ComponentCatalog.standard(), "account_balance", stateDir);
    }

    @AfterEach
    void stop() {
        branch.close();
    }

    /** The oracle's record of {@code address} at {@code block}: {@code balance}, its previous record's {@code previous}. */
    private static AccountBalance balance(String address, long block, String balance, String previous,
            Long previousBlock) {
        return AccountBalance.newBuilder()
                .setNetwork("layer1").setAddress(address).setBlockNumber(block).setBlockHash(TestBlocks.hash(block, ""))
                .setBalance(balance).setPreviousBalance(previous).setPreviousBlockNumber(previousBlock)
                .setRemoved(false)
                .build();
    }

    private static AccountBalance retraction(AccountBalance record) {
        return AccountBalance.newBuilder(record).setRemoved(true).build();
    }

    private void watch(String owner, String address, long effectiveFrom) {
        branch.watch(interest(branch.spec, owner, address, effectiveFrom));
    }

    private List<TestRecord<String, AccountBalanceOutput>> out() {
        return branch.out(AccountBalanceOutput.class).readRecordsToList();
    }

    /** The block and the owners of each record delivered since the last read. */
    private List<Tuple> blocksAndOwners() {
        return out().stream()
                .map(r -> tuple(r.value().getEnvelope().getBlockNumber(), r.value().getEnvelope().getOwners()))
                .toList();
    }

    @Test
    void thePipelineIsNamedAfterItsOracleTwice() {
        assertThat(branch.spec.getPid())
                .isEqualTo("live::layer1:live:oracle:account_balance::layer1:live:oracle:account_balance");
        assertThat(branch.spec.getPrefix()).isEqualTo("t.live.layer1-account_balance.layer1-account_balance");
    }

    @Test
    void onlyThisPipelinesAddressesAreDeliveredKeyedByTheLowercaseAddress() {
        var other = TestPipelines.live(Registry.standard(), branch.topics.names(), "account_balance", Network.LAYER1,
                0L);
        branch.watch(interest(other, "mallory", B, 0));
        watch("alice", A, 0);
        AccountBalance changed = balance(A.toUpperCase().replace("0X", "0x"), 5, "2000", "1000", 3L);

        branch.pipe(changed, PRODUCED);
        branch.pipe(balance(B, 5, "7", "6", 3L), PRODUCED);

        List<TestRecord<String, AccountBalanceOutput>> out = out();
        assertThat(out).hasSize(1);
        TestRecord<String, AccountBalanceOutput> record = out.get(0);
        assertThat(record.key()).isEqualTo(A);
        assertThat(record.timestamp()).isEqualTo(PRODUCED.toEpochMilli());
        var envelope = record.value().getEnvelope();
        assertThat(envelope.getPuuid()).isEqualTo(branch.spec.getPuuid());
        assertThat(envelope.getPipelinePid())
                .isEqualTo("live::layer1:live:oracle:account_balance::layer1:live:oracle:account_balance");
        assertThat(envelope.getRegister()).isEqualTo("account_balance");
        assertThat(envelope.getNetwork()).isEqualTo("layer1");
        assertThat(envelope.getOwners()).containsExactly("alice");
        assertThat(envelope.getAddress()).isEqualTo(A);
        assertThat(envelope.getBlockNumber()).isEqualTo(5);
        assertThat(envelope.getBlockHash()).isEqualTo(changed.getBlockHash());
        assertThat(envelope.getOriginTs()).isEqualTo(PRODUCED.toEpochMilli());
        assertThat(envelope.getTimestamp()).isEqualTo(BranchDriver.START.toEpochMilli());
        assertThat(envelope.getRemoved()).isFalse();
        assertThat(record.value().getValue()).isEqualTo(AccountBalance.newBuilder(changed).setAddress(A).build());
        assertThat(record.value().getMergedInto()).isNull();
        assertThat(branch.counters.height()).hasValue(5);
    }

    @Test
    void aChangedBalanceIsForEveryOwnerWhoseInterestIsEffectiveAtItsBlock() {
        watch("alice", A, 0);
        watch("bob", A, 4);
        watch("carol", A, 10);

        branch.pipe(balance(A, 5, "2000", "1000", 3L), PRODUCED);
        branch.pipe(balance(A, 6, "2000", null, null), PRODUCED); // no previous record: news to everyone

        assertThat(blocksAndOwners())
                .containsExactly(tuple(5L, List.of("alice", "bob")), tuple(6L, List.of("alice", "bob")));
    }

    @Test
    void anUnchangedBalanceIsForTheOwnersWhoseInterestBecameEffectiveSinceThePreviousRecordOnly() {
        watch("alice", A, 0);
        watch("bob", A, 7);
        watch("carol", A, 6);

        // the oracle's previous record of A was at block 5; bob's and carol's interests are new since
        branch.pipe(balance(A, 7, "2000", "2000", 5L), PRODUCED);
        // and now nothing is new to anyone (the oracle writes no such record; the rule still holds)
        branch.pipe(balance(A, 8, "2000", "2000", 7L), PRODUCED);

        assertThat(blocksAndOwners()).containsExactly(tuple(7L, List.of("bob", "carol")));
    }

    @Test
    void aWithdrawnInterestGetsNoMoreRecordsAndOneAddedLaterGetsThemFromItsBlock() {
        var alice = interest(branch.spec, "alice", A, 0);
        branch.watch(alice);
        branch.pipe(balance(A, 3, "10", "9", 2L), PRODUCED);
        branch.unwatch(alice);
        branch.pipe(balance(A, 4, "11", "10", 3L), PRODUCED);
        watch("bob", A, 6);
        branch.pipe(balance(A, 5, "12", "11", 4L), PRODUCED); // bob's interest is not effective yet
        branch.pipe(balance(A, 6, "12", "12", 5L), PRODUCED); // written because bob's interest became effective
        branch.pipe(balance(A, 7, "13", "12", 6L), PRODUCED);

        assertThat(blocksAndOwners())
                .containsExactly(tuple(3L, List.of("alice")), tuple(6L, List.of("bob")), tuple(7L, List.of("bob")));
    }

    @Test
    void aRecordAboveTheInterestHorizonIsHeldUntilItsInterestsAreConfirmed() {
        watch("alice", A, 0);
        branch.confirmInterestsThrough(5);
        branch.pipe(balance(A, 5, "1", "0", 4L), PRODUCED);
        branch.pipe(balance(A, 6, "1", "1", 5L), PRODUCED); // the oracle saw bob's interest from 6 on <ns>.state
        branch.pipe(balance(B, 6, "5", null, null), PRODUCED);
        branch.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(out()).as("block 6 waits for this branch's horizon")
                .extracting(r -> r.value().getEnvelope().getBlockNumber()).containsExactly(5L);
        assertThat(branch.counters.height()).as("the branch's height does not count held records").hasValue(5);

        // this branch's global store catches up: bob's interests, then the horizon
        watch("bob", A, 6);
        watch("bob", B, 6);
        branch.confirmInterestsThrough(6);
        branch.driver.advanceWallClockTime(Duration.ofMillis(20));

        assertThat(out()).extracting(TestRecord::key, r -> r.value().getEnvelope().getBlockNumber(),
                        r -> r.value().getEnvelope().getOwners())
                .containsExactly(tuple(A, 6L, List.of("bob")), tuple(B, 6L, List.of("bob")));
        assertThat(branch.counters.height()).as("all released").hasValue(6);
    }

    @Test
    void aRetractionIsDeliveredAsRemovedToTheOwnersTheRecordWasFor() {
        watch("alice", A, 0);
        watch("bob", A, 7);
        AccountBalance orphaned = balance(A, 7, "2000", "2000", 5L);

        branch.pipe(orphaned, PRODUCED);
        branch.pipe(retraction(orphaned), PRODUCED);

        assertThat(out()).extracting(r -> r.value().getEnvelope().getOwners(),
                        r -> r.value().getEnvelope().getRemoved(),
                        r -> r.value().getValue().getRemoved(), r -> r.value().getEnvelope().getBlockHash())
                .containsExactly(tuple(List.of("bob"), false, false, orphaned.getBlockHash()),
                        tuple(List.of("bob"), true, true, orphaned.getBlockHash()));
    }

    @Test
    void progressMarksAreNeverDeliveredButCountAsTheBranchsHeight() {
        watch("alice", A, 0);
        branch.confirmInterestsThrough(100);

        branch.pipe(balance(A, 3, "10", null, null), PRODUCED);
        branch.pipe(progress(9), PRODUCED);

        assertThat(blocksAndOwners()).containsExactly(tuple(3L, List.of("alice")));
        assertThat(branch.counters.height()).as("the oracle has read through block 9").hasValue(9);
    }

    @Test
    void aBacktestWhoseBalancesStopBeforeItsEndIsDoneOnceTheOraclesProgressPassesItsEndAndWindow() {
        branch.close();
        branch = BranchDriver.backtest(Registry.standard(), ComponentCatalog.standard(), "account_balance", 5, 10, 3,
                stateDir.resolve("backtest"));
        watch("alice", A, 5);
        branch.confirmInterestsThrough(100);

        branch.pipe(balance(A, 6, "10", null, null), PRODUCED);
        branch.pipe(progress(8), PRODUCED); // no balance changed after block 6
        branch.pipe(progress(12), PRODUCED);
        assertThat(branch.statuses().readValuesToList()).as("block 10 is not final before block 13").isEmpty();
        branch.pipe(progress(13), PRODUCED);

        List<TestRecord<String, AccountBalanceOutput>> out = out();
        assertThat(out).extracting(r -> r.value().getEnvelope().getBlockNumber(),
                        r -> r.value().getBacktestEnd() == null ? null : r.value().getBacktestEnd().getRecords())
                .containsExactly(tuple(6L, null), tuple(10L, 1L));
        assertThat(branch.statuses().readValuesToList()).extracting(s -> s.getState().name()).containsExactly("DONE");
    }

    /** The oracle's progress mark at {@code block}: it has read through it. */
    private static AccountBalance progress(long block) {
        return AccountBalance.newBuilder()
                .setNetwork("layer1").setAddress("").setBlockNumber(block).setBlockHash(TestBlocks.hash(block, ""))
                .setBalance("").setRemoved(false).setProgress(true)
                .build();
    }

    @Test
    void describeReadsSourceDeliveryOutWithTheInterests() {
        var description = branch.topology.describe().toString();

        assertThat(description)
                .contains("Source: account_balance.layer1 (topics: [t.layer1.account_balance])")
                .contains("--> account_balance.layer1.delivery")
                .contains("Processor: account_balance.layer1.delivery (stores: [account_balance.layer1.held])")
                .contains("Sink: out (topic: t.live.layer1-account_balance.layer1-account_balance.out)")
                .contains("Source: interests-source (topics: [t.state])")
                .contains("Processor: interests-loader (stores: [interests])");
    }
}
