package io.pessimism.pipe;

import static io.pessimism.topology.TestBlocks.anonymous;
import static io.pessimism.topology.TestBlocks.block;
import static io.pessimism.topology.TestBlocks.log;
import static io.pessimism.topology.TestBlocks.retraction;
import static io.pessimism.topology.TestPipelines.interest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.registry.Registry;
import io.pessimism.topology.BranchDriver;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.TestPipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production event_log branch (generated from the registry DAG) in a TopologyTestDriver. */
class EventLogBranchTest {

    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String B = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private static final String C = "0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0";
    private static final String PING = "Ping(address,uint256)";
    private static final String PONG = "Pong(address,uint256)";
    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);

    @TempDir
    Path stateDir;

    private BranchDriver branch;

    @BeforeEach
    void start() {
        branch = new BranchDriver(Registry.standard(), ComponentCatalog.standard(), "event_log", stateDir);
    }

    @AfterEach
    void stop() {
        branch.close();
    }

    @Test
    void emitsEachWatchedLogOnceTaggedWithExactlyTheOwnersOfItsPair() {
        branch.watch(interest(branch.spec, "alice", A, 0, PING));
        branch.watch(interest(branch.spec, "bob", A, 0, PONG));
        branch.watch(interest(branch.spec, "bob", B, 0, PING));
        branch.watch(interest(branch.spec, "carol", A, 0, PING, "Other(uint8)"));

        branch.pipe(block(5, log(A, PING), log(A, PONG), log(B, PING), log(B, PONG), log(C, PING), anonymous(A)),
                PRODUCED);

        List<EventLogOutput> out = branch.out(EventLogOutput.class).readValuesToList();
        assertThat(out).extracting(o -> o.getValue().getLogIndex(), o -> o.getEnvelope().getOwners())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, List.of("alice", "carol")),
                        org.assertj.core.groups.Tuple.tuple(1, List.of("bob")),
                        org.assertj.core.groups.Tuple.tuple(2, List.of("bob")));
    }

    @Test
    void outputCarriesTheEnvelopeAndTheLogAsTheRiskEngineReadsThem() {
        branch.watch(interest(branch.spec, "alice", A, 0, PING));
        Block source = block(7, log(A, PING));

        branch.pipe(source, PRODUCED);

        TestRecord<String, EventLogOutput> record = branch.out(EventLogOutput.class).readRecord();
        assertThat(record.key()).isEqualTo(A);
        var envelope = record.value().getEnvelope();
        assertThat(envelope.getPuuid()).isEqualTo(branch.spec.getPuuid());
        assertThat(envelope.getPipelinePid()).isEqualTo("live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block");
        assertThat(envelope.getNetwork()).isEqualTo("layer1");
        assertThat(envelope.getRegister()).isEqualTo("event_log");
        assertThat(envelope.getOriginTs()).isEqualTo(PRODUCED.toEpochMilli());
        assertThat(envelope.getTimestamp()).isEqualTo(BranchDriver.START.toEpochMilli());
        assertThat(envelope.getAddress()).isEqualTo(A);
        assertThat(envelope.getBlockNumber()).isEqualTo(7);
        assertThat(envelope.getBlockHash()).isEqualTo(source.getHash());
        assertThat(envelope.getFinalizedHeight()).isNull();
        assertThat(envelope.getRemoved()).isFalse();
        var value = record.value().getValue();
        var log = source.getLogs().get(0);
        assertThat(value.getNetwork()).isEqualTo("layer1");
        assertThat(value.getAddress()).isEqualTo(A);
        assertThat(value.getTopics()).isEqualTo(log.getTopics());
        assertThat(value.getTopics().get(0))
                .isEqualTo("0x" + org.web3j.utils.Numeric.toHexStringNoPrefix(
                        org.web3j.crypto.Hash.sha3(PING.getBytes(StandardCharsets.UTF_8))));
        assertThat(value.getData()).isEqualTo(log.getData());
        assertThat(value.getBlockNumber()).isEqualTo(7);
        assertThat(value.getBlockHash()).isEqualTo(source.getHash());
        assertThat(value.getTransactionHash()).isEqualTo(log.getTransactionHash());
        assertThat(value.getTransactionIndex()).isEqualTo(log.getTransactionIndex());
        assertThat(value.getLogIndex()).isZero();
        assertThat(value.getRemoved()).isFalse();
        assertThat(record.value().getMergedInto()).isNull();
        assertThat(record.timestamp()).as("the record keeps the source's timestamp").isEqualTo(PRODUCED.toEpochMilli());
    }

    @Test
    void unwatchedAddressesAndSignaturesYieldNothing() {
        branch.watch(interest(branch.spec, "alice", A, 0, PING));

        branch.pipe(block(3, log(B, PING), log(A, PONG), log(C, "Transfer(address,address,uint256)")), PRODUCED);
        branch.pipe(block(4), PRODUCED);

        assertThat(branch.out(EventLogOutput.class).isEmpty()).isTrue();
        assertThat(branch.counters.height()).hasValue(4);
    }

    @Test
    void addressesAreComparedCaseInsensitivelyAndEmittedLowercase() {
        String checksummed = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
        branch.watch(interest(branch.spec, "alice", checksummed, 0, PING));
        branch.watch(interest(branch.spec, "bob", B, 0, PING));

        branch.pipe(block(3, log(A, PING), log(B.toUpperCase().replace("0X", "0x"), PING)), PRODUCED);

        assertThat(branch.out(EventLogOutput.class).readRecordsToList())
                .extracting(TestRecord::key, r -> r.value().getValue().getAddress(), r -> r.value().getEnvelope().getOwners())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(A, A, List.of("alice")),
                        org.assertj.core.groups.Tuple.tuple(B, B, List.of("bob")));
    }

    @Test
    void anInterestAppliesFromItsEffectiveBlockOnly() {
        branch.watch(interest(branch.spec, "alice", A, 10, PING));

        branch.pipe(block(9, log(A, PING)), PRODUCED);
        branch.pipe(block(10, log(A, PING)), PRODUCED);
        branch.pipe(block(11, log(A, PING)), PRODUCED);

        assertThat(branch.out(EventLogOutput.class).readValuesToList())
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(10L, 11L);
    }

    @Test
    void interestsAddedOrWithdrawnWhileRunningApplyToTheFollowingBlocks() {
        branch.pipe(block(1, log(A, PING)), PRODUCED);
        var alice = interest(branch.spec, "alice", A, 2, PING);
        branch.watch(alice);
        branch.pipe(block(2, log(A, PING)), PRODUCED);
        branch.unwatch(alice);
        branch.pipe(block(3, log(A, PING)), PRODUCED);

        assertThat(branch.out(EventLogOutput.class).readValuesToList())
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(2L);
    }

    @Test
    void aBlockAboveTheInterestHorizonIsHeldUntilItsInterestsAreConfirmedThenMatchedInOrder() {
        branch.watch(interest(branch.spec, "alice", A, 0, PING));
        branch.confirmInterestsThrough(5);
        branch.pipe(block(5, log(A, PING)), PRODUCED);
        branch.pipe(block(6, log(A, PING), log(B, PING)), PRODUCED);
        branch.pipe(block(7, log(A, PING)), PRODUCED);
        branch.driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(branch.out(EventLogOutput.class).readValuesToList()).as("6 and 7 wait for the horizon")
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(5L);
        assertThat(branch.counters.height()).as("the branch's height does not count held blocks").hasValue(5);

        // the control plane accepts bob's interest from block 6, then confirms block 6 only
        branch.watch(interest(branch.spec, "bob", B, 6, PING));
        branch.confirmInterestsThrough(6);
        branch.driver.advanceWallClockTime(Duration.ofMillis(20));
        assertThat(branch.out(EventLogOutput.class).readValuesToList())
                .extracting(o -> o.getEnvelope().getBlockNumber(), o -> o.getEnvelope().getOwners())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6L, List.of("alice")),
                        org.assertj.core.groups.Tuple.tuple(6L, List.of("bob")));

        assertThat(branch.counters.height()).as("7 is still held").hasValue(6);

        branch.pipe(block(8, log(A, PING)), PRODUCED); // 7 is still held: 8 queues behind it
        branch.pipe(block(9), PRODUCED); // no logs: nothing to hold, but the height still waits for 7
        assertThat(branch.counters.height()).hasValue(6);
        branch.confirmInterestsThrough(Long.MAX_VALUE);
        branch.driver.advanceWallClockTime(Duration.ofMillis(20));
        assertThat(branch.out(EventLogOutput.class).readValuesToList())
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(7L, 8L);
        assertThat(branch.out(EventLogOutput.class).isEmpty()).isTrue();
        assertThat(branch.counters.height()).as("all released").hasValue(9);
    }

    @Test
    void interestsOfAnotherPipelineNeverMatchThisOne() {
        var other = TestPipelines.live(Registry.standard(), branch.topics.names(), "event_log",
                io.pessimism.network.Network.LAYER1, 0L);
        branch.watch(interest(other, "mallory", A, 0, PING));

        branch.pipe(block(3, log(A, PING)), PRODUCED);

        assertThat(branch.out(EventLogOutput.class).isEmpty()).isTrue();
    }

    @Test
    void aRetractedBlockReEmitsItsMatchingLogsWithRemovedTrue() {
        branch.watch(interest(branch.spec, "alice", A, 0, PING));
        Block orphaned = block(8, log(B, PING), log(A, PING));

        branch.pipe(orphaned, PRODUCED);
        branch.pipe(retraction(orphaned), PRODUCED);

        List<EventLogOutput> out = branch.out(EventLogOutput.class).readValuesToList();
        assertThat(out).hasSize(2);
        assertThat(out).extracting(o -> o.getEnvelope().getRemoved(), o -> o.getValue().getRemoved())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(false, false),
                        org.assertj.core.groups.Tuple.tuple(true, true));
        assertThat(out.get(1).getValue().getLogIndex()).isEqualTo(out.get(0).getValue().getLogIndex());
        assertThat(out.get(1).getEnvelope().getBlockHash()).isEqualTo(orphaned.getHash());
    }

    @Test
    void anUndecodableRecordGoesToTheDlqWithWhyAndWhereAndTheBranchContinues() {
        branch.watch(interest(branch.spec, "alice", A, 0, PING));
        byte[] garbage = {0, 0, 0, 0, 99, 1, 2, 3}; // Confluent framing with an unknown schema id

        branch.rawBlocks().pipeInput("12".getBytes(StandardCharsets.UTF_8), garbage);
        branch.pipe(block(13, log(A, PING)), PRODUCED);

        var dead = branch.dlq().readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("12");
        Headers headers = dead.get(0).headers();
        assertThat(header(headers, "__streams.errors.exception")).contains("SerializationException");
        assertThat(header(headers, "__streams.errors.message")).contains("schema id 99");
        assertThat(header(headers, "__streams.errors.topic")).isEqualTo("t.layer1.geth_block");
        assertThat(header(headers, "__streams.errors.partition")).isEqualTo("0");
        assertThat(header(headers, "__streams.errors.offset")).isEqualTo("0");
        assertThat(branch.counters.deadLetters()).isEqualTo(1);
        assertThat(branch.out(EventLogOutput.class).readValuesToList())
                .extracting(o -> o.getEnvelope().getBlockNumber()).containsExactly(13L);
    }

    @Test
    void aBlockRecordWithoutValueGoesToTheDlqSayingSo() {
        branch.watch(interest(branch.spec, "alice", A, 0, PING));

        branch.blocks().pipeInput("20", null, PRODUCED);
        branch.pipe(block(21, log(A, PING)), PRODUCED);

        var dead = branch.dlq().readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), "__streams.errors.exception")).contains("PoisonRecordException");
        assertThat(header(dead.get(0).headers(), "__streams.errors.message")).contains("block record 20 has no value");
        assertThat(branch.counters.deadLetters()).isEqualTo(1);
        assertThat(branch.out(EventLogOutput.class).getQueueSize()).isEqualTo(1);
    }

    @Test
    void anUnusableInterestRecordIsCountedAndSkipped() {
        branch.interests().pipeInput("not-a-puuid|" + A + "|alice", interest(branch.spec, "alice", A, 0, PING));
        branch.driver.createInputTopic(branch.topics.state().name(),
                        org.apache.kafka.common.serialization.Serdes.String().serializer(),
                        org.apache.kafka.common.serialization.Serdes.ByteArray().serializer())
                .pipeInput(branch.spec.getPuuid() + "|" + A + "|bob", new byte[] {1, 2});

        branch.pipe(block(3, log(A, PING)), PRODUCED);

        assertThat(branch.counters.rejectedInterests()).isEqualTo(2);
        assertThat(branch.out(EventLogOutput.class).isEmpty()).isTrue();
    }

    @Test
    void describeNamesTheNodesLikeTheDag() {
        String description = branch.topology.describe().toString();

        assertThat(description)
                .contains("Source: geth_block.layer1 (topics: [t.layer1.geth_block])")
                .contains("Processor: event_log.layer1 (stores: [event_log.layer1.held])")
                .contains("Sink: out (topic: " + branch.spec.getPrefix() + ".out)")
                .contains("Source: interests-source (topics: [t.state])")
                .contains("Processor: interests-loader (stores: [interests])");
    }

    private static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
