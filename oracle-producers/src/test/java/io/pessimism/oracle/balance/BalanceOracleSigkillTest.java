package io.pessimism.oracle.balance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.Block;
import io.pessimism.config.KafkaConnection;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleMain;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.support.OracleProcess;
import io.pessimism.testkit.kafka.ProduceThrottle;
import io.pessimism.oracle.support.TransactionProbe;
import io.pessimism.oracle.support.TransactionProbe.Ends;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AccountBalance oracle as its own JVM ({@code OracleMain --register account_balance}), SIGKILLed
 * while one of its transactions is open, during traffic that changes most of {@value #WATCHED} watched
 * balances in every block, and restarted after each kill; the block oracle runs in this JVM.
 * Afterwards a {@code read_committed} reader finds exactly the records the node's balances call for
 * (none missing, none doubled, every value exact), and a {@code read_uncommitted} reader finds each
 * killed transaction's records aborted, each one redone once by the next instance.
 *
 * <p>Where a kill lands: the oracle reads balances before it begins a transaction, so its
 * transactions last only as long as the broker takes to write them, a few milliseconds; slowing the
 * node does not lengthen them. So most kills first make the broker throttle the oracle's writes
 * ({@link ProduceThrottle}): its next write is answered with a throttle of minutes, and the
 * transaction holding that write stays open, its records written and undecided, until the kill. One
 * kill instead strikes at the first undecided transaction seen, wherever it then is. A kill counts
 * as inside a transaction when, with the process dead, the coordinator still holds its transactional
 * id {@code Ongoing} and the output's last stable offset is below its end.
 *
 * <p>A second test kills the first instance inside its very first transaction: the next instance must
 * still begin at the block where the first one began.
 */
class BalanceOracleSigkillTest {

    private static final Logger log = LoggerFactory.getLogger(BalanceOracleSigkillTest.class);

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.of(Anvil.builder().noMining());

    private static final Network NETWORK = Network.LAYER1;
    private static final int WATCHED = 30;
    /** Blocks between the first instance's start and the first watched block (read with nothing watched). */
    private static final long WARM_UP = 100;
    /** The second half of the addresses is watched this many blocks after the first. */
    private static final long LATER = 20;
    /** How each instance in turn is killed; the last one is left to catch up. */
    private static final List<Strike> PLAN = List.of(Strike.THROTTLED, Strike.UNDECIDED, Strike.THROTTLED,
            Strike.THROTTLED);
    private static final int KILLS_IN_TRANSACTION = 3;
    /** Throttled kills added when the plan's did not all land inside a transaction. */
    private static final int MAX_EXTRA_KILLS = 2;
    private static final Duration TRAFFIC_DELAY = Duration.ofMillis(60);
    /** Blocks mined during each instance's life before it is killed. */
    private static final long TRAFFIC_PER_INSTANCE = 5;
    /**
     * The oracle's produce quota on a throttled kill. The broker measures a client's rate over about ten
     * seconds: at one byte a second any write gets a throttle of minutes, and so does its transaction's
     * commit, which the producer sends to the same broker after it.
     */
    private static final long THROTTLE_BYTES_PER_SECOND = 1;
    /** How long a throttled kill waits for the transaction to stay open: unthrottled, they last milliseconds. */
    private static final Duration PINNED = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** How a kill picks its moment. */
    private enum Strike {
        /** The oracle's writes throttled, then killed once a transaction has stayed open {@link #PINNED}. */
        THROTTLED,
        /** As {@link #THROTTLED}, the throttle set before the first instance starts: its first transaction. */
        THROTTLED_FIRST,
        /** Killed at the first undecided transaction seen (polled every millisecond), however short. */
        UNDECIDED;

        boolean throttled() {
            return this != UNDECIDED;
        }
    }

    /** One SIGKILL: how it struck, and what the broker said once the process was dead. */
    private record Kill(int number, Strike strike, Ends ends, TransactionState state) {
        boolean inTransaction() {
            return state == TransactionState.ONGOING && ends.undecided();
        }
    }

    /** Every oracle JVM a test started: none outlives it, whatever fails. */
    private final List<OracleProcess> instances = new ArrayList<>();
    /** What a test opened, closed after it in reverse order. */
    private final List<AutoCloseable> opened = new ArrayList<>();
    /** Kept after the run (surefire's working directory is the module's): what the killed JVMs said. */
    private Path oracleLog;
    private String[] args;
    private ChainDriver chain;
    private BalanceTopics balanceTopics;
    private TopicPartition blockPartition;
    private String output;
    private TransactionProbe probe;
    private GethBlockOracle blocks;
    private KafkaConsumer<String, Block> blockReader;

    /**
     * Namespace {@code ns} on the shared broker and anvil: a schema registry, the topics, the block
     * oracle started in this JVM (and holding the head), the command line of a balance oracle JVM.
     */
    private void open(String ns) throws Exception {
        oracleLog = Path.of("target", "balance-oracle-sigkill", ns + ".log");
        Files.createDirectories(oracleLog.getParent());
        Files.deleteIfExists(oracleLog);
        EmbeddedSchemaRegistry registry = keep(EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames(ns).schemas()).replicationFactor(1).build().start());
        chain = keep(ChainDriver.connect(ANVIL.httpUrl()));
        balanceTopics = BalanceTopics.of(new Topics(new TopicNames(ns), registry.registry(), -1), NETWORK);
        blockPartition = new TopicPartition(balanceTopics.blocks().name(), 0);
        output = balanceTopics.output().name();
        probe = keep(new TransactionProbe(KAFKA.bootstrapServers(), new TopicPartition(output, 0),
                OracleProducers.transactionalId(output), balanceTopics.group(), blockPartition));
        blockReader = keep(reader("read_committed", balanceTopics.blocks().valueSerde().deserializer()));
        TopicAdmin.ensure(KafkaConnection.plaintext(KAFKA.bootstrapServers()), (short) 1, balanceTopics.state());
        args = new String[] {"--bootstrap-servers", KAFKA.bootstrapServers(), "--registry-url", registry.url(),
            "--namespace", ns, "--network", NETWORK.label(), "--rpc-url", ANVIL.httpUrl(),
            "--register", "account_balance", "--poll-interval-ms", "20"};
        blocks = keep(new GethBlockOracle(OracleSettings.builder(NETWORK, ANVIL.httpUrl(), KAFKA.bootstrapServers())
                .pollInterval(Duration.ofMillis(20)).build(), balanceTopics.blocks()));
        chain.mine(3);
        blocks.start();
        long head = chain.blockNumber();
        await("the block oracle holds block " + head).atMost(WAIT).until(() -> blocks.status().oracleHead() == head);
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    @AfterEach
    void close() throws Exception {
        instances.forEach(OracleProcess::kill);
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void readCommittedHoldsEveryBalanceChangeOnceAfterKillsInsideOpenTransactions() throws Exception {
        open("balkill");
        Map<String, Long> effectiveFrom = watchOnceFollowing(chain.blockNumber() + WARM_UP + 1);
        long traffic = System.nanoTime();
        List<Kill> kills = killDuringTraffic(List.copyOf(effectiveFrom.keySet()), PLAN, KILLS_IN_TRANSACTION);
        long head = chain.blockNumber();
        log.info("{} kills in {} ms of traffic, up to block {}", kills.size(), (System.nanoTime() - traffic) / 1_000_000,
                head);
        catchUp(head);

        List<AccountBalance> expected = ExpectedBalances.of(chain.web3j(), NETWORK.label(), effectiveFrom, head);
        List<ConsumerRecord<String, AccountBalance>> committed = readAll("read_committed");
        List<ConsumerRecord<String, AccountBalance>> uncommitted = readAll("read_uncommitted");
        log.info("blocks {}..{}: {} records expected, {} read committed, {} read uncommitted",
                effectiveFrom.values().stream().mapToLong(Long::longValue).min().orElseThrow(), head, expected.size(),
                committed.size(), uncommitted.size());
        dump(expected, committed, uncommitted);
        ExpectedBalances.assertExactly(committed, expected);
        assertThat(expected).as("records owed").hasSizeGreaterThan(WATCHED * 10);
        AccountBalance last = committed.get(committed.size() - 1).value();
        assertThat(last.getProgress()).as("a transaction ends with its progress mark").isTrue();
        assertThat(last.getBlockNumber()).as("the oracle has read through the head").isEqualTo(head);
        assertKillsAborted(kills, committed, uncommitted);
        assertThat(kills).filteredOn(Kill::inTransaction).as("kills inside an open transaction")
                .hasSizeGreaterThanOrEqualTo(KILLS_IN_TRANSACTION);
    }

    /**
     * A first instance killed inside its very first transaction: nothing it wrote was committed, so
     * the next instance must still begin where the first one began (the first block it read gets every
     * watched balance), not at the block topic's end by then.
     */
    @Test
    void aKillInsideTheFirstTransactionLosesNoBlock() throws Exception {
        open("balfirst");
        List<String> watched = new ArrayList<>();
        try (TestInterests interests = interests()) {
            long next = chain.blockNumber() + 1;
            for (int i = 0; i < 5; i++) {
                watched.add(String.format("0x%040x", 0xf1f50000L + i));
            }
            interests.watch(watched, i -> next);
            interests.horizon(next + 1_000_000);
        }
        // no instance has run: the first one starts at the block topic's end, whatever the traffic mined by then
        List<Kill> kills = killDuringTraffic(watched, List.of(Strike.THROTTLED_FIRST), 0);
        long head = chain.blockNumber();
        catchUp(head);

        List<ConsumerRecord<String, AccountBalance>> committed = readAll("read_committed");
        List<ConsumerRecord<String, AccountBalance>> uncommitted = readAll("read_uncommitted");
        Kill kill = kills.get(0);
        assertThat(kill.inTransaction()).as("%s inside the first transaction", kill).isTrue();
        assertThat(kill.ends().stable()).as("nothing committed before the kill").isZero();
        long first = uncommitted.stream().filter(r -> r.offset() < kill.ends().end())
                .mapToLong(r -> r.value().getBlockNumber()).min().orElseThrow();
        Map<String, Long> firstRead = new LinkedHashMap<>();
        watched.forEach(address -> firstRead.put(address, first));
        log.info("the first instance read block {} first; {} records read committed, {} read uncommitted", first,
                committed.size(), uncommitted.size());
        List<AccountBalance> expected = ExpectedBalances.of(chain.web3j(), NETWORK.label(), firstRead, head);
        dump(expected, committed, uncommitted);
        assertKillsAborted(kills, committed, uncommitted);
        ExpectedBalances.assertExactly(committed, expected);
    }

    /** Waits until the block oracle and then the balance oracle have passed block {@code head}, all decided. */
    private void catchUp(long head) {
        long start = System.nanoTime();
        await("the block oracle holds the head " + head).atMost(WAIT)
                .until(() -> blocks.status().oracleHead() == head);
        await("the last instance commits the head " + head).atMost(WAIT).pollInSameThread()
                .until(() -> committedHeight() == head);
        await("every transaction on " + output + " decided").atMost(WAIT).until(() -> !probe.ends().undecided());
        log.info("caught up with block {} in {} ms", head, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Starts the first instance, waits until it has committed the position it starts from (the block
     * topic's end: the oracle commits it at once on a first start), then writes the interests,
     * effective from {@code effective} for half the addresses and {@link #LATER} blocks after for the
     * others, and a horizon above them all. The horizon before was {@code effective - 1}, so the
     * oracle cannot have read past it with nothing watched. Leaves the chain at {@code effective - 1}.
     *
     * @return each watched address with the block its interest is effective from
     */
    private Map<String, Long> watchOnceFollowing(long effective) throws Exception {
        try (TestInterests interests = interests()) {
            interests.horizon(effective - 1);
            start();
            await("the first instance commits its start on " + blockPartition).atMost(WAIT).pollInSameThread()
                    .until(() -> probe.committed().isPresent());
            long head = chain.blockNumber();
            assertThat(head).as("the warm-up stays below the first watched block").isLessThan(effective - 1);
            List<String> watched = new ArrayList<>();
            for (int i = 0; i < WATCHED; i++) {
                watched.add(String.format("0x%040x", 0x5a1e0000L + i));
            }
            Map<String, Long> effectiveFrom = interests.watch(watched,
                    i -> i % 2 == 0 ? effective : effective + LATER);
            interests.horizon(effective + 1_000_000); // every interest is on the topic
            chain.mine(effective - 1 - head);
            return effectiveFrom;
        }
    }

    private TestInterests interests() {
        return new TestInterests(KAFKA.bootstrapServers(), balanceTopics.state(), NETWORK);
    }

    /**
     * Runs the traffic and kills an instance per strike of {@code plan}, then more with
     * {@link Strike#THROTTLED} until {@code inTransaction} kills were inside a transaction (at most
     * {@link #MAX_EXTRA_KILLS} more). Each is killed once it has committed a transaction of its own and
     * the chain has moved on (but a {@link Strike#THROTTLED_FIRST} starts the first instance itself);
     * the next instance starts after each kill, and the last one must commit a transaction of its own
     * under traffic too. Stops the traffic, rethrowing its failure, before returning.
     */
    private List<Kill> killDuringTraffic(List<String> watched, List<Strike> plan, int inTransaction)
            throws Exception {
        List<Kill> kills = new ArrayList<>();
        try (ChainDriver trafficChain = ChainDriver.connect(ANVIL.httpUrl());
                TransferTraffic traffic = new TransferTraffic(trafficChain, ANVIL.chainId(), DevAccounts.get(1),
                        watched, 42);
                ProduceThrottle throttle = new ProduceThrottle(KAFKA.bootstrapServers(),
                        OracleProducers.transactionalId(output))) {
            traffic.start(TRAFFIC_DELAY);
            long position = probe.committed().orElse(-1L);
            List<Strike> strikes = new ArrayList<>(plan);
            for (int i = 0; i < strikes.size(); i++) {
                Strike strike = strikes.get(i);
                int number = kills.size() + 1;
                if (strike != Strike.THROTTLED_FIRST) {
                    awaitWorking(number, position, traffic);
                }
                if (strike.throttled()) {
                    throttle.limit(THROTTLE_BYTES_PER_SECOND);
                }
                if (strike == Strike.THROTTLED_FIRST) {
                    start();
                }
                // throttled: a transaction open this long is held by the throttle, its records written
                Duration open = strike.throttled() ? PINNED : Duration.ZERO;
                await("an undecided transaction of instance " + number + " on " + output + ", open " + open)
                        .atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).pollInSameThread()
                        .until(() -> traffic.check() && probe.ends().undecided()
                                && (open.isZero() || probe.openFor().compareTo(open) >= 0));
                instances.get(instances.size() - 1).kill();
                Kill kill = new Kill(number, strike, probe.ends(), probe.transaction().state());
                log.info("kill {} ({}): transaction {}, {} offsets [{}, {}) undecided", number, strike, kill.state(),
                        output, kill.ends().stable(), kill.ends().end());
                kills.add(kill);
                if (strike.throttled()) {
                    throttle.lift();
                }
                if (i == strikes.size() - 1 && kills.stream().filter(Kill::inTransaction).count() < inTransaction
                        && strikes.size() < plan.size() + MAX_EXTRA_KILLS) {
                    strikes.add(Strike.THROTTLED);
                }
                position = probe.committed().orElse(-1L);
                start();
            }
            awaitWorking(kills.size() + 1, position, traffic);
            traffic.stop();
            assertThat(traffic.transfers()).as("transfers to watched addresses").isGreaterThan(10L * watched.size());
        }
        return kills;
    }

    /**
     * Waits until instance {@code number} has committed a transaction of its own (its group's position
     * passed {@code before}, -1 for none) while the traffic mined {@link #TRAFFIC_PER_INSTANCE} blocks.
     */
    private void awaitWorking(int number, long before, TransferTraffic traffic) {
        long minedBefore = traffic.blocks();
        await("instance " + number + " commits past " + blockPartition + "@" + before + " while traffic mines "
                + TRAFFIC_PER_INSTANCE + " blocks").atMost(WAIT).pollInSameThread()
                .until(() -> traffic.check() && probe.committed().orElse(-1L) > before
                        && traffic.blocks() >= minedBefore + TRAFFIC_PER_INSTANCE);
    }

    /**
     * Each kill inside a transaction left records that read_uncommitted sees and read_committed never
     * will: the next instance aborted them. Each was redone, equal and once, in the committed output.
     */
    private static void assertKillsAborted(List<Kill> kills, List<ConsumerRecord<String, AccountBalance>> committed,
            List<ConsumerRecord<String, AccountBalance>> uncommitted) {
        Set<Long> committedOffsets = committed.stream().map(ConsumerRecord::offset).collect(Collectors.toSet());
        Map<AccountBalance, Long> committedValues = committed.stream().collect(Collectors.groupingBy(
                ConsumerRecord::value, Collectors.counting()));
        for (Kill kill : kills) {
            List<ConsumerRecord<String, AccountBalance>> undecided = uncommitted.stream()
                    .filter(r -> r.offset() >= kill.ends().stable() && r.offset() < kill.ends().end()).toList();
            long aborted = undecided.stream().filter(r -> !committedOffsets.contains(r.offset())).count();
            log.info("kill {} ({}, {}): {} records at offsets [{}, {}) read uncommitted, {} of them aborted",
                    kill.number(), kill.strike(), kill.state(), undecided.size(), kill.ends().stable(),
                    kill.ends().end(), aborted);
            if (kill.inTransaction()) {
                assertThat(undecided).as("kill %d: the open transaction's records", kill.number()).isNotEmpty()
                        .allSatisfy(r -> assertThat(committedOffsets).as("aborted, not committed")
                                .doesNotContain(r.offset()))
                        .allSatisfy(r -> assertThat(r.value().getProgress() ? 1L : committedValues.get(r.value()))
                                .as("redone once: %s", ExpectedBalances.where(r.value())).isEqualTo(1L));
            }
        }
    }

    /** Writes what the output held (read_uncommitted, each record marked committed or aborted) and what was owed. */
    private void dump(List<AccountBalance> expected, List<ConsumerRecord<String, AccountBalance>> committed,
            List<ConsumerRecord<String, AccountBalance>> uncommitted) throws IOException {
        Set<Long> offsets = committed.stream().map(ConsumerRecord::offset).collect(Collectors.toSet());
        List<String> lines = new ArrayList<>();
        lines.add("# offset state block address balance previousBalance previousBlock");
        for (ConsumerRecord<String, AccountBalance> r : uncommitted) {
            AccountBalance v = r.value();
            lines.add(r.offset() + " " + (offsets.contains(r.offset()) ? "committed" : "aborted") + " "
                    + v.getBlockNumber() + " " + v.getAddress() + " " + v.getBalance() + " " + v.getPreviousBalance()
                    + " " + v.getPreviousBlockNumber());
        }
        lines.add("# expected: block address balance previousBalance previousBlock");
        for (AccountBalance v : expected) {
            lines.add("expected " + v.getBlockNumber() + " " + v.getAddress() + " " + v.getBalance() + " "
                    + v.getPreviousBalance() + " " + v.getPreviousBlockNumber());
        }
        Files.write(oracleLog.resolveSibling(output + ".txt"), lines);
    }

    private void start() {
        instances.add(OracleProcess.start(OracleMain.class.getName(), oracleLog, args));
    }

    /** The number of the last block the oracle's group has committed past, or -1 before its first commit. */
    private long committedHeight() throws Exception {
        Optional<Long> committed = probe.committed();
        if (committed.isEmpty()) {
            return -1;
        }
        long offset = committed.get() - 1;
        blockReader.assign(List.of(blockPartition));
        blockReader.seek(blockPartition, offset);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, Block> record : blockReader.poll(Duration.ofMillis(100))) {
                if (record.offset() == offset) {
                    return record.value().getNumber();
                }
            }
        }
        throw new AssertionError("no block at " + blockPartition + "@" + offset + " within 10 s");
    }

    private static <V> KafkaConsumer<String, V> reader(String isolation, Deserializer<V> values) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topics.MAX_MESSAGE_BYTES),
                new StringDeserializer(), values);
    }

    /** Every record of the output up to its end, as a reader of {@code isolation} sees it. */
    private List<ConsumerRecord<String, AccountBalance>> readAll(String isolation) {
        return ExpectedBalances.read(KAFKA.bootstrapServers(), balanceTopics.output(), isolation, WAIT);
    }
}
