package io.pessimism.oracle.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.AccountBalance;
import io.pessimism.network.Network;
import io.pessimism.oracle.balance.BalanceTopics;
import io.pessimism.oracle.bench.BalanceOutputCheck.BenchBlock;
import io.pessimism.oracle.bench.BalanceOutputCheck.Written;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The balance benchmark with tiny numbers on a real broker and anvil: it sets up, runs its passes,
 * checks each one's output and produces figures; and its output check catches what a wrong oracle
 * would write. No figure is asserted: they depend on the machine.
 */
class BalanceBenchTest {

    private static final int BLOCKS = 12;

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.of(
            Anvil.builder().extraArgs(BalanceBench.anvilArgs(BLOCKS).toArray(String[]::new)));

    @Test
    void runsCheckedAlternatingPassesAndProducesFigures() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        BalanceTopics topics = BalanceTopics.of(new Topics(new TopicNames("benchbal"), InProcessSchemaRegistry.inMemory(),
                -1), Network.LAYER1);
        BalanceFigures figures = new BalanceBench(ANVIL.httpUrl(), KAFKA.bootstrapServers(), topics,
                new BalanceBench.Plan(30, BLOCKS, 7, 2, 1, 2), out).run();
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        figures.lines().forEach(System.out::println);

        assertThat(figures.rawRounds()).hasSize(2).allMatch(rate -> rate > 0);
        assertThat(figures.oracleRounds()).hasSize(2).allMatch(rate -> rate > 0);
        assertThat(figures.recordsPerPass()).isEqualTo(new BalanceSchedule(30, BLOCKS).expectedRecords())
                .isEqualTo(30 + 11 * 3);
        assertThat(figures.stages().balances()).as("two counted oracle passes read every balance")
                .isEqualTo(2L * 30 * BLOCKS);
        assertThat(figures.lines()).hasSize(5);
        assertThat(figures.limit()).contains("oracle below the ceiling").contains("the ceiling:");
        // every pass, warm-ups included, counted and checked its output (a wrong one throws)
        assertThat(text).contains("warm-up 1: raw").contains("360 checked").contains("63 records checked")
                .contains("round 1: raw").contains("round 2: raw").contains("set-up: balances set and blocks mined");
    }

    @Test
    void theOutputCheckCatchesAWrongOracle() {
        BalanceSchedule schedule = new BalanceSchedule(20, 6);
        List<BenchBlock> blocks = new ArrayList<>();
        List<Map<String, BigInteger>> reads = new ArrayList<>();
        for (int b = 0; b < 6; b++) {
            blocks.add(new BenchBlock(100 + b, "0xhash" + b, b));
            Map<String, BigInteger> read = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                read.put(BalanceSchedule.address(i), schedule.balance(i, b));
            }
            reads.add(read);
        }
        List<Written> right = rightOutput(schedule, blocks);
        assertThat(right).hasSize(20 + 5 * 2);
        assertThat(BalanceOutputCheck.raw("raw", schedule, blocks, reads)).isEqualTo(120);
        assertThat(BalanceOutputCheck.oracle("right", "layer1", schedule.addressList(), blocks, reads, right))
                .isEqualTo(schedule.expectedRecords());

        List<Written> missing = new ArrayList<>(right);
        missing.remove(25);
        assertThatThrownBy(() -> BalanceOutputCheck.oracle("missing", "layer1", schedule.addressList(), blocks, reads,
                missing)).hasMessageContaining("missing: wrong output").hasMessageContaining("records, expected");

        List<Written> duplicated = new ArrayList<>(right);
        duplicated.add(26, right.get(25));
        assertThatThrownBy(() -> BalanceOutputCheck.oracle("duplicated", "layer1", schedule.addressList(), blocks,
                reads, duplicated)).hasMessageContaining("duplicated: wrong output");

        List<Written> wrongBalance = new ArrayList<>(right);
        AccountBalance changed = AccountBalance.newBuilder(right.get(28).value()).setBalance("1").build();
        wrongBalance.set(28, new Written(right.get(28).key(), changed));
        assertThatThrownBy(() -> BalanceOutputCheck.oracle("balance", "layer1", schedule.addressList(), blocks, reads,
                wrongBalance)).hasMessageContaining("balance 1, expected");

        List<Map<String, BigInteger>> wrongReads = new ArrayList<>(reads);
        Map<String, BigInteger> off = new HashMap<>(reads.get(3));
        off.put(BalanceSchedule.address(4), BigInteger.ONE);
        wrongReads.set(3, off);
        assertThatThrownBy(() -> BalanceOutputCheck.raw("raw", schedule, blocks, wrongReads))
                .hasMessageContaining("read 1, the schedule set");
        assertThatThrownBy(() -> BalanceOutputCheck.oracle("expectation", "layer1", schedule.addressList(), blocks,
                wrongReads, right)).hasMessageContaining("expectation: wrong output");
    }

    /** What a right oracle writes for the schedule: block by block, each address new or changed. */
    private static List<Written> rightOutput(BalanceSchedule schedule, List<BenchBlock> blocks) {
        List<Written> output = new ArrayList<>();
        Map<String, Integer> lastAt = new HashMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            for (int i = 0; i < schedule.addresses(); i++) {
                if (!schedule.changes(i, b)) {
                    continue;
                }
                String address = BalanceSchedule.address(i);
                Integer previous = lastAt.put(address, b);
                output.add(new Written(Long.toString(blocks.get(b).number()), AccountBalance.newBuilder()
                        .setNetwork("layer1").setAddress(address).setBlockNumber(blocks.get(b).number())
                        .setBlockHash(blocks.get(b).hash()).setBalance(schedule.balance(i, b).toString())
                        .setPreviousBalance(previous == null ? null : schedule.balance(i, previous).toString())
                        .setPreviousBlockNumber(previous == null ? null : blocks.get(previous).number())
                        .setRemoved(false).build()));
            }
        }
        return output;
    }
}
