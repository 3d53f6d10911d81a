package io.pessimism.topology;

import static io.pessimism.topology.TestBlocks.block;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.GethBlockOutput;
import io.pessimism.network.Network;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator sees only registers: registers and processors from test sources make a working branch. */
class TestRegisterBranchTest {

    @TempDir
    Path stateDir;

    @Test
    void aRegisterDefinedInTestSourcesYieldsAWorkingBranch() {
        try (var branch = new BranchDriver(DigestRegisters.registry(), DigestRegisters.catalog(), "digest_relay",
                stateDir)) {
            for (long n = 1; n <= 4; n++) {
                branch.pipe(block(n, TestBlocks.log("0x5fbdb2315678afecb367f032d93f642f64180aa3", "Ping()")),
                        Instant.ofEpochMilli(1_000 + n));
            }
            branch.pipe(block(4), Instant.ofEpochMilli(2_000)); // the same hash again: relayed once

            var out = branch.out(GethBlockOutput.class).readRecordsToList();
            assertThat(out).extracting(TestRecord::key).containsExactly("2", "4");
            assertThat(out).allSatisfy(r -> {
                assertThat(r.value().getEnvelope().getRegister()).isEqualTo("digest_relay");
                assertThat(r.value().getEnvelope().getPipelinePid())
                        .isEqualTo("live::layer1:live:pipe:digest_relay::layer1:live:oracle:geth_block");
                assertThat(r.value().getValue().getLogs()).isEmpty();
            });
            assertThat(branch.counters.height()).hasValue(4);
        }
    }

    @Test
    void describeReadsLikeTheDagWithTheComponentsOwnStoreNamed() {
        try (var branch = new BranchDriver(DigestRegisters.registry(), DigestRegisters.catalog(), "digest_relay",
                stateDir)) {
            var description = branch.topology.describe();

            assertThat(description.toString())
                    .contains("Source: geth_block.layer1 (topics: [t.layer1.geth_block])")
                    .contains("--> block_digest.layer1")
                    .contains("Processor: block_digest.layer1 (stores: [])")
                    .contains("--> digest_relay.layer1")
                    .contains("Processor: digest_relay.layer1 (stores: [digest_relay.layer1.seen])")
                    .contains("Sink: out (topic: " + branch.spec.getPrefix() + ".out)")
                    .doesNotContain("interests");
            assertThat(description.globalStores()).isEmpty();
        }
    }

    @Test
    void aRegisterWithoutAProcessorIsAClearError() {
        var topics = new Topics(new TopicNames("t"), InProcessSchemaRegistry.inMemory(), -1);
        var registry = DigestRegisters.registry();
        var spec = TestPipelines.live(registry, topics.names(), "digest_relay", Network.LAYER1, 0L);
        var generator = new TopologyGenerator(ComponentCatalog.standard(), topics);

        assertThatThrownBy(() -> generator.build(BranchDefinition.of(spec, registry), new BranchCounters()))
                .hasMessageContaining("register block_digest has no processor implementation")
                .hasMessageContaining("event_log");
    }

    @Test
    void aSpecWhosePidDoesNotMatchItsRegisterIsRejected() {
        var topics = new Topics(new TopicNames("t"), InProcessSchemaRegistry.inMemory(), -1);
        var registry = DigestRegisters.registry();
        var spec = TestPipelines.live(registry, topics.names(), "digest_relay", Network.LAYER1, 0L);
        spec.setRegister("block_digest");

        assertThatThrownBy(() -> BranchDefinition.of(spec, registry))
                .hasMessageContaining(spec.getPuuid())
                .hasMessageContaining("is not the PID of register block_digest");
    }
}
