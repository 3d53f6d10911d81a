package io.pessimism.pipeline;

import static io.pessimism.topology.TestBlocks.block;
import static io.pessimism.topology.TestBlocks.log;
import static io.pessimism.topology.TestBlocks.retraction;
import static io.pessimism.topology.TestPipelines.interest;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.aggregator.SyncBlocks;
import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import io.pessimism.topology.BranchDriver;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.topology.TestBlocks;
import io.pessimism.topology.TestPipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Poison on every input topic of every register's branch, live and backtest, in the production
 * topology and branch properties (TopologyTestDriver): each kind of record that cannot be decoded
 * or used, piped between good records, goes to {@code <prefix>.dlq} with its bytes and headers
 * saying why and where from, is counted, and the branch goes on to write exactly what it writes
 * without the poison. Interests ({@code <ns>.state}, read by the branch's global thread, which has
 * no dead-letter queue) are the exception: an undecodable interest is counted as rejected and
 * skipped, and the output is the same too.
 */
class PoisonRecordsTest {

    private static final Instant PRODUCED = Instant.ofEpochMilli(1_700_000_000_123L);
    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String B = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private static final String PING = "Ping(address,uint256)";
    private static final String TRANSFER = "Transfer(address,address,uint256)";
    private static final Registry REGISTRY = Registry.standard();
    private static final ComponentCatalog CATALOG = ComponentCatalog.standard();

    /** What a branch writes without poison, per scenario: computed once. */
    private static final Map<String, Outcome> BASELINES = new ConcurrentHashMap<>();

    @TempDir
    static Path baselineDirs;
    @TempDir
    Path stateDir;

    /** The kinds of poison, each with the words its dead letter's message must contain. */
    enum Poison {
        WRONG_MAGIC("unknown magic byte 0x01"),
        UNKNOWN_SCHEMA_ID("schema id 32639"),
        GARBAGE("cannot decode"),
        TRUNCATED("cannot decode"),
        TOO_SHORT("too few for the Confluent wire format"),
        OTHER_REGISTER("cannot decode"),
        TOMBSTONE("has no value");

        final String message;

        Poison(String message) {
            this.message = message;
        }

        /** Its value on {@code topic}, made from a good record's bytes there ({@code good}). */
        byte[] bytes(BranchDriver branch, String topic, byte[] good) {
            return switch (this) {
                case WRONG_MAGIC -> concat(new byte[] {1}, Arrays.copyOfRange(good, 1, good.length));
                case UNKNOWN_SCHEMA_ID -> concat(new byte[] {0, 0, 0, 0x7f, 0x7f}, Arrays.copyOfRange(good, 5,
                        good.length));
                case GARBAGE -> concat(Arrays.copyOf(good, 5), "\u0007not Avro, just noise \u0000\u00ff".getBytes(
                        StandardCharsets.ISO_8859_1));
                case TRUNCATED -> Arrays.copyOf(good, good.length / 2);
                case TOO_SHORT -> new byte[] {0, 0};
                case OTHER_REGISTER -> otherRegister(branch, topic);
                case TOMBSTONE -> null;
            };
        }
    }

    /**
     * A branch and the good records it reads, in order: the recipe of one pipeline.
     *
     * @param inputs the good records, by topic, given the branch (its spec names the interests' PUUID)
     */
    record Scenario(String name, Function<Path, BranchDriver> branch, Function<BranchDriver, List<Input>> inputs) {

        @Override
        public String toString() {
            return name;
        }
    }

    /** A good record: its topic, key and value (a block, balance or interest). */
    record Input(String topic, String key, SpecificRecord value) {
    }

    /** What a run wrote: {@code .out} (PUUID replaced, each run has its own), statuses, dead letters, counts. */
    record Outcome(List<String> out, List<String> statuses, List<TestRecord<byte[], byte[]>> dead, long deadLetters,
            long rejectedInterests) {
    }

    static List<Scenario> scenarios() {
        return List.of(
                new Scenario("event_log live", dir -> new BranchDriver(REGISTRY, CATALOG, "event_log", dir),
                        branch -> eventLogInputs(branch, 6)),
                new Scenario("event_log backtest [2, 5]", dir -> BranchDriver.backtest(REGISTRY, CATALOG, "event_log", 2,
                        5, 2, dir), branch -> eventLogInputs(branch, 9)),
                new Scenario("geth_block live", dir -> new BranchDriver(REGISTRY, CATALOG, "geth_block", dir),
                        branch -> blockInputs(branch, 6)),
                new Scenario("geth_block backtest [2, 5]", dir -> BranchDriver.backtest(REGISTRY, CATALOG, "geth_block",
                        2, 5, 2, dir), branch -> blockInputs(branch, 9)),
                new Scenario("account_balance live", dir -> new BranchDriver(REGISTRY, CATALOG, "account_balance", dir),
                        branch -> balanceInputs(branch, 6)),
                new Scenario("account_balance backtest [2, 5]", dir -> BranchDriver.backtest(REGISTRY, CATALOG,
                        "account_balance", 2, 5, 2, dir), branch -> balanceInputs(branch, 9)),
                new Scenario("l1_l2_block_sync live on layer1", dir -> BranchDriver.live(REGISTRY, CATALOG,
                        "l1_l2_block_sync", Network.LAYER1, null, 4, Duration.ofSeconds(5), dir),
                        branch -> syncInputs(branch, SyncBlocks.byTime(4, 25))),
                new Scenario("l1_l2_block_sync backtest [2, 3] on layer1", dir -> BranchDriver.backtest(REGISTRY,
                        CATALOG, "l1_l2_block_sync", Network.LAYER1, 2, 3, 1, dir),
                        branch -> syncInputs(branch, SyncBlocks.byTime(6, 40).stream()
                                .filter(b -> b.getNetwork().equals("layer1") || b.getNumber() >= 7).toList())));
    }

    /** Every scenario, every input topic of its branch, every kind of poison. */
    static Stream<Arguments> poisonedInputs() {
        return scenarios().stream().flatMap(scenario -> {
            List<String> topics;
            try (BranchDriver branch = scenario.branch().apply(baselineDirs.resolve("topics-" + scenario.name()
                    .replaceAll("\\W", "_")))) {
                topics = scenario.inputs().apply(branch).stream().map(Input::topic).distinct().toList();
            }
            // a tombstone on the state topic is no poison: it deletes the interest under its key (the contract)
            return topics.stream().flatMap(topic -> Arrays.stream(Poison.values())
                    .filter(poison -> !(poison == Poison.TOMBSTONE && topic.equals("t.state")))
                    .map(poison -> Arguments.of(scenario, topic.substring(2), poison)));
        });
    }

    @ParameterizedTest(name = "{0}: {2} on {1}")
    @MethodSource("poisonedInputs")
    void aPoisonRecordGoesToTheDlqSayingWhyAndWhereAndTheBranchWritesWhatItWouldWithoutIt(Scenario scenario,
            String topicAfterNamespace, Poison poison) {
        Outcome baseline = BASELINES.computeIfAbsent(scenario.name(), name -> run(scenario, Optional.empty(), null,
                baselineDirs.resolve(name.replaceAll("\\W", "_"))));
        String topic = "t." + topicAfterNamespace;
        assertThat(baseline.dead()).as("no dead letters without poison").isEmpty();
        assertThat(baseline.out()).as("the scenario writes something").isNotEmpty();
        Poisoned injected = new Poisoned();

        Outcome outcome = run(scenario, Optional.of(topic), poison, stateDir, injected);

        assertThat(outcome.out()).as("the output with the poison is the output without it").isEqualTo(baseline.out());
        assertThat(outcome.statuses()).isEqualTo(baseline.statuses());
        if (topic.equals("t.state")) {
            assertThat(outcome.dead()).as("interests have no dead-letter queue").isEmpty();
            assertThat(outcome.rejectedInterests() - baseline.rejectedInterests())
                    .as("an undecodable interest is counted").isEqualTo(1);
            return;
        }
        assertThat(outcome.deadLetters()).as("counted").isEqualTo(1);
        assertThat(outcome.dead()).hasSize(1);
        TestRecord<byte[], byte[]> dead = outcome.dead().get(0);
        assertThat(dead.value()).as("the record's own bytes").isEqualTo(injected.value);
        assertThat(dead.key()).isEqualTo(injected.key);
        Headers headers = dead.headers();
        assertThat(header(headers, "__streams.errors.topic")).isEqualTo(topic);
        assertThat(header(headers, "__streams.errors.partition")).isEqualTo("0");
        assertThat(header(headers, "__streams.errors.offset")).isEqualTo(Long.toString(injected.offset));
        assertThat(header(headers, "__streams.errors.exception")).isEqualTo(poison == Poison.TOMBSTONE
                ? "io.pessimism.topology.PoisonRecordException"
                : "org.apache.kafka.common.errors.SerializationException");
        assertThat(header(headers, "__streams.errors.message")).contains(poison.message);
    }

    /** The poison record as it was piped, for the dead letter to be compared with. */
    private static final class Poisoned {
        byte[] key;
        byte[] value;
        long offset;
    }

    private static Outcome run(Scenario scenario, Optional<String> poisonTopic, Poison poison, Path dir) {
        return run(scenario, poisonTopic, poison, dir, new Poisoned());
    }

    /**
     * Pipes the scenario's good records, with {@code poison} on {@code poisonTopic} right after the
     * middle one of that topic (under the same key), and reads what the branch wrote.
     */
    private static Outcome run(Scenario scenario, Optional<String> poisonTopic, Poison poison, Path dir,
            Poisoned injected) {
        try (BranchDriver branch = scenario.branch().apply(dir)) {
            List<Input> inputs = scenario.inputs().apply(branch);
            Map<String, Integer> piped = new HashMap<>();
            long onPoisonTopic = inputs.stream().filter(i -> poisonTopic.filter(i.topic()::equals).isPresent()).count();
            for (Input input : inputs) {
                TestInputTopic<byte[], byte[]> topic = raw(branch, input.topic());
                byte[] key = input.key().getBytes(StandardCharsets.UTF_8);
                byte[] value = encode(branch, input);
                topic.pipeInput(key, value, PRODUCED);
                int count = piped.merge(input.topic(), 1, Integer::sum);
                if (poisonTopic.filter(input.topic()::equals).isPresent() && count == (onPoisonTopic + 1) / 2) {
                    injected.key = key;
                    injected.value = poison.bytes(branch, input.topic(), value);
                    injected.offset = offsetOfNext(branch, input.topic(), count);
                    topic.pipeInput(key, injected.value, PRODUCED);
                }
            }
            String puuid = branch.spec.getPuuid();
            Class<? extends SpecificRecord> outputType = CATALOG.get(branch.spec.getRegister()).outputType();
            List<String> out = branch.out(outputType).readRecordsToList().stream()
                    .map(r -> r.key() + " " + r.timestamp() + " " + String.valueOf(r.value()).replace(puuid, "<puuid>"))
                    .toList();
            List<String> statuses = branch.statuses().readValuesToList().stream()
                    .map(s -> s.getState() + " " + s.getHeight()).toList();
            return new Outcome(out, statuses, branch.dlq().readRecordsToList(), branch.counters.deadLetters(),
                    branch.counters.rejectedInterests());
        }
    }

    /** Offsets of a test driver's input topic count every record piped to it; the state topic had the horizon. */
    private static long offsetOfNext(BranchDriver branch, String topic, int goodPiped) {
        return goodPiped + (topic.equals(branch.topics.state().name()) ? 1 : 0);
    }

    private static TestInputTopic<byte[], byte[]> raw(BranchDriver branch, String topic) {
        return branch.driver.createInputTopic(topic, Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
    }

    /** The value as its topic's serde writes it (Confluent framing, the branch's registry). */
    @SuppressWarnings("unchecked")
    private static byte[] encode(BranchDriver branch, Input input) {
        var serde = branch.topics.valueSerde((Class<SpecificRecord>) input.value().getClass());
        return serde.serializer().serialize(input.topic(), input.value());
    }

    /**
     * A well-formed record of another register's schema: a balance on a block topic, a block
     * elsewhere; written under its own topic's subject, as a misrouted producer would.
     */
    private static byte[] otherRegister(BranchDriver branch, String topic) {
        String balances = branch.topics.balances(Network.LAYER1).name();
        Input other = topic.equals(balances)
                ? new Input(branch.topics.blocks(Network.LAYER1).name(), "3", block(3))
                : new Input(balances, "3", balance(A, 3, "77"));
        return encode(branch, other);
    }

    private static List<Input> eventLogInputs(BranchDriver branch, int blocks) {
        String state = branch.topics.state().name();
        List<Input> inputs = new ArrayList<>(List.of(
                new Input(state, TestPipelines.key(interest(branch.spec, "alice", A, 0, PING)),
                        interest(branch.spec, "alice", A, 0, PING)),
                new Input(state, TestPipelines.key(interest(branch.spec, "bob", B, 0, TRANSFER)),
                        interest(branch.spec, "bob", B, 0, TRANSFER))));
        IntStream.rangeClosed(1, blocks).forEach(n -> inputs.add(blockInput(n % 2 == 0
                ? block(n, log(A, PING), log(B, TRANSFER), log(B, PING)) : block(n, log(A, PING)))));
        return withRetraction(inputs);
    }

    private static List<Input> blockInputs(BranchDriver branch, int blocks) {
        List<Input> inputs = new ArrayList<>();
        IntStream.rangeClosed(1, blocks).forEach(n -> inputs.add(blockInput(block(n, log(A, PING)))));
        return withRetraction(inputs);
    }

    /** Block 4 orphaned after the last block: its retraction and its replacement follow. */
    private static List<Input> withRetraction(List<Input> inputs) {
        Block orphaned = (Block) inputs.stream().filter(i -> i.value() instanceof Block b && b.getNumber() == 4)
                .findFirst().orElseThrow().value();
        inputs.add(blockInput(retraction(orphaned)));
        inputs.add(blockInput(Block.newBuilder(orphaned).setHash(TestBlocks.hash(4, "b")).build()));
        return inputs;
    }

    private static Input blockInput(Block block) {
        return new Input("t." + block.getNetwork() + ".geth_block", Long.toString(block.getNumber()), block);
    }

    private static List<Input> balanceInputs(BranchDriver branch, int blocks) {
        String topic = branch.topics.balances(Network.LAYER1).name();
        List<Input> inputs = new ArrayList<>();
        inputs.add(new Input(branch.topics.state().name(), TestPipelines.key(interest(branch.spec, "alice", A, 0)),
                interest(branch.spec, "alice", A, 0)));
        for (int n = 1; n <= blocks; n++) {
            inputs.add(new Input(topic, Integer.toString(n), balance(A, n, Integer.toString(1_000 * n))));
            inputs.add(new Input(topic, Integer.toString(n), balance(B, n, Integer.toString(7 * n))));
        }
        return inputs;
    }

    private static List<Input> syncInputs(BranchDriver branch, List<Block> blocks) {
        return blocks.stream().map(PoisonRecordsTest::blockInput).toList();
    }

    private static AccountBalance balance(String address, long block, String wei) {
        return AccountBalance.newBuilder().setNetwork("layer1").setAddress(address).setBlockNumber(block)
                .setBlockHash(TestBlocks.hash(block, "")).setBalance(wei).setRemoved(false).build();
    }

    private static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
