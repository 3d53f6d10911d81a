package io.pessimism.delivery;

import static io.pessimism.topology.TestBlocks.block;
import static io.pessimism.topology.TestBlocks.log;
import static io.pessimism.topology.TestBlocks.retraction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.registry.Registry;
import io.pessimism.topology.BranchDriver;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.TestBlocks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production branch of a live geth_block pipeline (the oracle's register itself) in a TopologyTestDriver. */
class GethBlockBranchTest {

    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String B = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);

    @TempDir
    Path stateDir;

    private BranchDriver branch(long startHeight) {
        return new BranchDriver(Registry.standard(), ComponentCatalog.standard(), "geth_block", startHeight, stateDir);
    }

    @Test
    void thePipelineIsNamedAfterItsOracleTwice() {
        try (var branch = branch(0)) {
            assertThat(branch.spec.getPid())
                    .isEqualTo("live::layer1:live:oracle:geth_block::layer1:live:oracle:geth_block");
            assertThat(branch.spec.getPrefix()).isEqualTo("t.live.layer1-geth_block.layer1-geth_block");
        }
    }

    @Test
    void everyBlockIsDeliveredWithItsLogsKeyedByItsNumberForEveryOwner() {
        try (var branch = branch(0)) {
            Block first = block(1, log(A, "Ping(address,uint256)"), log(B, "Pong()"));
            Block empty = block(2);
            Block third = block(3, log(B, "Transfer(address,address,uint256)"));

            branch.pipe(first, PRODUCED);
            branch.pipe(empty, PRODUCED);
            branch.pipe(third, PRODUCED.plusMillis(1));

            List<TestRecord<String, GethBlockOutput>> out = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(out).extracting(TestRecord::key).containsExactly("1", "2", "3");
            assertThat(out).extracting(r -> r.value().getValue()).containsExactly(first, empty, third);
            assertThat(out.get(0).value().getValue().getLogs()).hasSize(2);
            assertThat(out).extracting(TestRecord::timestamp)
                    .as("each record keeps its block record's timestamp")
                    .containsExactly(PRODUCED.toEpochMilli(), PRODUCED.toEpochMilli(), PRODUCED.toEpochMilli() + 1);
            var envelope = out.get(2).value().getEnvelope();
            assertThat(envelope.getPuuid()).isEqualTo(branch.spec.getPuuid());
            assertThat(envelope.getPipelinePid()).isEqualTo(branch.spec.getPid());
            assertThat(envelope.getRegister()).isEqualTo("geth_block");
            assertThat(envelope.getNetwork()).isEqualTo("layer1");
            assertThat(envelope.getOwners()).as("blocks are not addressable: for every owner").isEmpty();
            assertThat(envelope.getAddress()).isNull();
            assertThat(envelope.getBlockNumber()).isEqualTo(3);
            assertThat(envelope.getBlockHash()).isEqualTo(third.getHash());
            assertThat(envelope.getOriginTs()).isEqualTo(PRODUCED.toEpochMilli() + 1);
            assertThat(envelope.getTimestamp()).isEqualTo(BranchDriver.START.toEpochMilli());
            assertThat(envelope.getRemoved()).isFalse();
            assertThat(out.get(2).value().getMergedInto()).isNull();
            assertThat(branch.counters.height()).hasValue(3);
        }
    }

    @Test
    void aRetractionPassesThroughAsRemovedThenTheNewCanonicalBlock() {
        try (var branch = branch(0)) {
            Block orphaned = block(8, log(A, "Ping(address,uint256)"));
            Block canonical = Block.newBuilder(block(8)).setHash(TestBlocks.hash(8, "reorg")).build();

            branch.pipe(orphaned, PRODUCED);
            branch.pipe(retraction(orphaned), PRODUCED);
            branch.pipe(canonical, PRODUCED);

            assertThat(branch.out(GethBlockOutput.class).readRecordsToList())
                    .extracting(TestRecord::key, r -> r.value().getEnvelope().getBlockHash(),
                            r -> r.value().getEnvelope().getRemoved(), r -> r.value().getValue().getRemoved())
                    .containsExactly(
                            tuple("8", orphaned.getHash(), false, false),
                            tuple("8", orphaned.getHash(), true, true),
                            tuple("8", canonical.getHash(), false, false));
        }
    }

    @Test
    void blocksBelowThePipelinesStartAreNotDelivered() {
        try (var branch = branch(5)) {
            Block orphaned = block(4);

            branch.pipe(block(5), PRODUCED);
            branch.pipe(retraction(orphaned), PRODUCED); // a reorg crossing the start: the pipeline never had block 4
            branch.pipe(block(6), PRODUCED);

            assertThat(branch.out(GethBlockOutput.class).readKeyValuesToList())
                    .extracting(kv -> kv.key).containsExactly("5", "6");
        }
    }

    @Test
    void aBlockRecordWithoutValueGoesToTheDlqAndTheBranchContinues() {
        try (var branch = branch(0)) {
            branch.blocks().pipeInput("20", null, PRODUCED);
            branch.pipe(block(21), PRODUCED);

            var dead = branch.dlq().readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).headers().lastHeader("__streams.errors.message").value(),
                    StandardCharsets.UTF_8)).contains("block record 20 has no value");
            assertThat(branch.out(GethBlockOutput.class).readKeyValuesToList())
                    .extracting(kv -> kv.key).containsExactly("21");
        }
    }

    @Test
    void describeReadsSourceDeliveryOut() {
        try (var branch = branch(0)) {
            var description = branch.topology.describe();

            assertThat(description.toString())
                    .contains("Source: geth_block.layer1 (topics: [t.layer1.geth_block])")
                    .contains("--> geth_block.layer1.delivery")
                    .contains("Processor: geth_block.layer1.delivery (stores: [])")
                    .contains("Sink: out (topic: t.live.layer1-geth_block.layer1-geth_block.out)");
            assertThat(description.globalStores()).as("blocks need no interests").isEmpty();
        }
    }
}
