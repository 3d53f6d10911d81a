package io.pessimism.pipe;

import static io.pessimism.topology.TestBlocks.hash;
import static io.pessimism.topology.TestBlocks.retraction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.pessimism.avro.Block;
import io.pessimism.avro.ContractCreateTxOutput;
import io.pessimism.avro.ContractCreation;
import io.pessimism.avro.CreatedContract;
import io.pessimism.avro.CreationKind;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.Transaction;
import io.pessimism.registry.Registry;
import io.pessimism.topology.BranchDriver;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.OutputRecords;
import io.pessimism.topology.TestBlocks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The production branch of a live contract_create_tx pipeline in a TopologyTestDriver. */
class ContractCreateTxBranchTest {

    private static final String EOA = "0x00000000000000000000000000000000000000e0";
    private static final String OTHER_EOA = "0x00000000000000000000000000000000000000e1";
    private static final String FACTORY = "0x00000000000000000000000000000000000000fa";
    private static final String DEPLOYED = "0x00000000000000000000000000000000000000c1";
    private static final String CHILD = "0x00000000000000000000000000000000000000c2";
    private static final String CHILD2 = "0x00000000000000000000000000000000000000c3";
    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);

    @TempDir
    Path stateDir;

    private BranchDriver branch(long startHeight) {
        return new BranchDriver(Registry.standard(), ComponentCatalog.standard(), "contract_create_tx", startHeight,
                stateDir);
    }

    private static Transaction tx(long block, int index, String from, String to) {
        return Transaction.newBuilder().setHash(hash(block * 100 + index, "tx")).setFrom(from).setTo(to)
                .setContractAddress(to == null ? DEPLOYED : null).setValue("0").setNonce(index).setGas(21_000)
                .setInput("0x").setType(2).setTransactionIndex(index).build();
    }

    private static CreatedContract created(Transaction tx, String creator, String address, CreationKind kind) {
        return new CreatedContract(tx.getHash(), tx.getTransactionIndex(), creator, address, kind);
    }

    /** Block {@code number} with these transactions and the oracle's list of what they created (null: not looked). */
    private static Block block(long number, List<Transaction> transactions, List<CreatedContract> created) {
        return Block.newBuilder(TestBlocks.block(number)).setTransactions(transactions).setCreatedContracts(created).build();
    }

    /** A block where EOA deploys DEPLOYED and OTHER_EOA calls FACTORY, which creates CHILD and CHILD2. */
    private static Block creations(long number) {
        Transaction deployment = tx(number, 0, EOA, null);
        Transaction factoryCall = tx(number, 1, OTHER_EOA, FACTORY);
        return block(number, List.of(deployment, factoryCall), List.of(
                created(deployment, EOA, DEPLOYED, CreationKind.TRANSACTION),
                created(factoryCall, FACTORY, CHILD, CreationKind.CREATE),
                created(factoryCall, FACTORY, CHILD2, CreationKind.CREATE2)));
    }

    @Test
    void thePipelineOfTheNewRegisterIsNamedAfterItAndItsOracle() {
        try (var branch = branch(0)) {
            assertThat(branch.spec.getPid())
                    .isEqualTo("live::layer1:live:pipe:contract_create_tx::layer1:live:oracle:geth_block");
            assertThat(branch.spec.getPrefix()).isEqualTo("t.live.layer1-contract_create_tx.layer1-geth_block");
            var description = branch.topology.describe();
            assertThat(description.toString())
                    .contains("Source: geth_block.layer1 (topics: [t.layer1.geth_block])")
                    .contains("--> contract_create_tx.layer1")
                    .contains("Processor: contract_create_tx.layer1 (stores: [])")
                    .contains("Sink: out (topic: t.live.layer1-contract_create_tx.layer1-geth_block.out)");
            assertThat(description.globalStores()).as("not addressable: no interests").isEmpty();
        }
    }

    @Test
    void oneRecordPerCreatedContractWithItsTransactionCreatorAndDeployer() {
        try (var branch = branch(0)) {
            Block block = creations(7);

            branch.pipe(block(6, List.of(tx(6, 0, EOA, FACTORY)), List.of()), PRODUCED); // a call, nothing created
            branch.pipe(block, PRODUCED);

            List<TestRecord<String, ContractCreateTxOutput>> out = branch.out(ContractCreateTxOutput.class)
                    .readRecordsToList();
            String deployment = block.getTransactions().get(0).getHash();
            String factoryCall = block.getTransactions().get(1).getHash();
            assertThat(out).extracting(TestRecord::key).containsOnly("7");
            assertThat(out).extracting(TestRecord::value).extracting(ContractCreateTxOutput::getValue)
                    .extracting(ContractCreation::getTransactionHash, ContractCreation::getTransactionIndex,
                            ContractCreation::getAddress, ContractCreation::getCreator, ContractCreation::getDeployer,
                            ContractCreation::getKind)
                    .containsExactly(
                            tuple(deployment, 0, DEPLOYED, EOA, EOA, CreationKind.TRANSACTION),
                            tuple(factoryCall, 1, CHILD, FACTORY, OTHER_EOA, CreationKind.CREATE),
                            tuple(factoryCall, 1, CHILD2, FACTORY, OTHER_EOA, CreationKind.CREATE2));
            assertThat(out).allSatisfy(r -> {
                ContractCreation value = r.value().getValue();
                assertThat(value.getNetwork()).isEqualTo("layer1");
                assertThat(value.getBlockNumber()).isEqualTo(7);
                assertThat(value.getBlockHash()).isEqualTo(block.getHash());
                assertThat(value.getRemoved()).isFalse();
                assertThat(r.timestamp()).isEqualTo(PRODUCED.toEpochMilli());
                Envelope envelope = r.value().getEnvelope();
                assertThat(envelope.getPuuid()).isEqualTo(branch.spec.getPuuid());
                assertThat(envelope.getPipelinePid()).isEqualTo(branch.spec.getPid());
                assertThat(envelope.getRegister()).isEqualTo("contract_create_tx");
                assertThat(envelope.getOwners()).as("not addressable: for every owner").isEmpty();
                assertThat(envelope.getAddress()).isNull();
                assertThat(envelope.getBlockNumber()).isEqualTo(7);
                assertThat(envelope.getBlockHash()).isEqualTo(block.getHash());
                assertThat(envelope.getOriginTs()).isEqualTo(PRODUCED.toEpochMilli());
                assertThat(envelope.getRemoved()).isFalse();
                assertThat(r.value().getMergedInto()).isNull();
            });
            assertThat(branch.counters.height()).hasValue(7);
        }
    }

    @Test
    void aRetractedBlockReEmitsItsCreationsAsRemovedThenTheNewCanonicalOnes() {
        try (var branch = branch(0)) {
            Block orphaned = creations(8);
            Transaction again = tx(8, 0, EOA, null);
            Block canonical = Block.newBuilder(block(8, List.of(again),
                    List.of(created(again, EOA, DEPLOYED, CreationKind.TRANSACTION))))
                    .setHash(hash(8, "reorg")).build();

            branch.pipe(orphaned, PRODUCED);
            branch.pipe(retraction(orphaned), PRODUCED);
            branch.pipe(canonical, PRODUCED);

            assertThat(branch.out(ContractCreateTxOutput.class).readRecordsToList())
                    .extracting(r -> r.value().getEnvelope().getBlockHash(), r -> r.value().getValue().getAddress(),
                            r -> r.value().getEnvelope().getRemoved(), r -> r.value().getValue().getRemoved())
                    .containsExactly(
                            tuple(orphaned.getHash(), DEPLOYED, false, false),
                            tuple(orphaned.getHash(), CHILD, false, false),
                            tuple(orphaned.getHash(), CHILD2, false, false),
                            tuple(orphaned.getHash(), DEPLOYED, true, true),
                            tuple(orphaned.getHash(), CHILD, true, true),
                            tuple(orphaned.getHash(), CHILD2, true, true),
                            tuple(canonical.getHash(), DEPLOYED, false, false));
        }
    }

    @Test
    void blocksBelowThePipelinesStartAreNotRead() {
        try (var branch = branch(5)) {
            branch.pipe(creations(5), PRODUCED);
            branch.pipe(retraction(creations(4)), PRODUCED); // a reorg crossing the start
            branch.pipe(creations(6), PRODUCED);

            assertThat(branch.out(ContractCreateTxOutput.class).readKeyValuesToList())
                    .extracting(kv -> kv.key).containsExactly("5", "5", "5", "6", "6", "6");
        }
    }

    @Test
    void aBlockWithoutTheListButWithoutACreatingTransactionHasNothingToEmit() {
        try (var branch = branch(0)) {
            branch.pipe(block(3, List.of(tx(3, 0, EOA, FACTORY)), null), PRODUCED);
            branch.pipe(creations(4), PRODUCED);

            assertThat(branch.out(ContractCreateTxOutput.class).readKeyValuesToList())
                    .extracting(kv -> kv.key).containsExactly("4", "4", "4");
        }
    }

    @Test
    void aCreatingTransactionInABlockWithoutTheListStopsTheBranchNamingTheSetting() {
        try (var branch = branch(0)) {
            Block unlisted = block(9, List.of(tx(9, 0, EOA, null)), null);

            assertThatThrownBy(() -> branch.pipe(unlisted, PRODUCED))
                    .hasStackTraceContaining("block 9 (" + unlisted.getHash() + ") on layer1: transaction "
                            + unlisted.getTransactions().get(0).getHash() + " creates a contract but the block lists "
                            + "no created contracts: its GethBlock oracle wrote it with "
                            + "networks.layer1.contract-creations=off");
            assertThat(branch.out(ContractCreateTxOutput.class).isEmpty()).isTrue();
            assertThat(branch.dlq().isEmpty()).as("not poison: a skipped creation would go unnoticed").isTrue();
        }
    }

    @Test
    void aBlockRecordWithoutValueGoesToTheDlqAndTheBranchContinues() {
        try (var branch = branch(0)) {
            branch.blocks().pipeInput("20", null, PRODUCED);
            branch.pipe(creations(21), PRODUCED);

            var dead = branch.dlq().readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).headers().lastHeader("__streams.errors.message").value(),
                    StandardCharsets.UTF_8)).contains("block record 20 has no value");
            assertThat(branch.out(ContractCreateTxOutput.class).readKeyValuesToList()).hasSize(3);
        }
    }

    @Test
    void aBacktestEmitsTheCreationsOfItsRangeThenItsEndMarker() {
        try (var branch = BranchDriver.backtest(Registry.standard(), ComponentCatalog.standard(), "contract_create_tx",
                5, 6, 2, stateDir)) {
            for (long n = 4; n <= 9; n++) {
                branch.pipe(creations(n), PRODUCED);
            }

            List<TestRecord<String, ContractCreateTxOutput>> out = branch.out(ContractCreateTxOutput.class)
                    .readRecordsToList();
            assertThat(out).extracting(TestRecord::key).containsExactly("5", "5", "5", "6", "6", "6", "6");
            assertThat(out.subList(0, 6)).extracting(r -> r.value().getValue().getAddress())
                    .containsExactly(DEPLOYED, CHILD, CHILD2, DEPLOYED, CHILD, CHILD2);
            assertThat(out.get(6).value().getValue()).isNull();
            assertThat(out.get(6).value().getBacktestEnd()).as("the end marker after the range").isNotNull();
        }
    }

    @Test
    void theOutValueSchemaIsShapedLikeEveryRegistersOut() {
        assertThat(ContractCreateTxOutput.getClassSchema().getFields()).extracting(Schema.Field::name)
                .containsExactly("envelope", "value", "mergedInto", "backtestEnd");
        assertThat(OutputRecords.of(ContractCreateTxOutput.class)).as("the branch's generic nodes read it").isNotNull();
    }
}
