package io.pessimism.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.oracle.rpc.Backoff;
import io.pessimism.oracle.rpc.NodeException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The loop every oracle shares, driven by scripted sessions: what each kind of failure leads to. */
class OracleRunnerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @Test
    void aNodeErrorBacksOffAndStepsTheSameSessionAgain() throws Exception {
        Scripted sessions = new Scripted(() -> {
            throw new NodeException("eth_blockNumber: connection refused");
        }, () -> true);

        OracleStatus last = runToEnd(sessions);

        assertThat(last.state()).isEqualTo(OracleState.DONE);
        assertThat(last.nodeErrors()).isEqualTo(1);
        assertThat(last.lastError()).hasValue("eth_blockNumber: connection refused");
        assertThat(sessions.steppedIn).as("both steps in the first session").containsExactly(1, 1);
        assertThat(sessions.closedSessions).isEqualTo(1);
        assertThat(sessions.closed).isTrue();
    }

    @Test
    void aNodeFailingBeyondTheBudgetMakesTheOracleNodeFailingUntilAStepGoesThrough() throws Exception {
        AtomicLong clock = new AtomicLong();
        NodeErrorBudget budget = new NodeErrorBudget(Duration.ofSeconds(1), "node:8545", clock::get);
        List<OracleState> midStep = new ArrayList<>();
        Scripted sessions = new Scripted();
        // as a session does that gets the head, says LIVE, then fails fetching the block 400 ms later
        BooleanSupplier down = () -> {
            midStep.add(sessions.status.updateAndGet(s -> s.withState(OracleState.LIVE)).state());
            clock.addAndGet(Duration.ofMillis(400).toNanos());
            throw new NodeException("eth_getBlockByNumber: 503");
        };
        BooleanSupplier through = () -> false;
        sessions.script.addAll(List.of(down, down, through, down, down, down, down, down, through, () -> true));

        OracleStatus last = runToEnd(sessions, budget);

        assertThat(last.state()).isEqualTo(OracleState.DONE);
        assertThat(last.nodeErrors()).isEqualTo(7);
        List<OracleStatus> before = sessions.statusBeforeStep;
        assertThat(before.get(2).state()).as("two errors, 400 ms apart: within the budget")
                .isEqualTo(OracleState.BACKING_OFF);
        // a step went through: the next run of errors is timed from its own first error
        assertThat(before.get(6).state()).as("three errors in a new run: 800 ms").isEqualTo(OracleState.BACKING_OFF);
        assertThat(before.get(7).state()).as("four errors in a row: 1.2 s").isEqualTo(OracleState.NODE_FAILING);
        assertThat(before.get(7).lastError()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("node node:8545 has failed every call for 1.2 s (4 errors in a row)",
                        "beyond oracles.node-error-budget 1s", "last error: eth_getBlockByNumber: 503"));
        assertThat(midStep).as("LIVE within a step until the budget is spent, then NODE_FAILING throughout")
                .containsExactly(OracleState.LIVE, OracleState.LIVE, OracleState.LIVE, OracleState.LIVE,
                        OracleState.LIVE, OracleState.LIVE, OracleState.NODE_FAILING);
        assertThat(before.get(8).lastError()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("1.6 s (5 errors in a row)"));
        assertThat(before.get(9).state()).as("a step went through").isEqualTo(OracleState.CATCHING_UP);
        assertThat(budget.spent()).isFalse();
    }

    @Test
    void aKafkaErrorThrowsTheSessionAwayAndOpensANewOne() throws Exception {
        Scripted sessions = new Scripted(() -> {
            throw new KafkaException("commit failed", new TimeoutException("no coordinator"));
        }, () -> true);

        OracleStatus last = runToEnd(sessions);

        assertThat(last.state()).isEqualTo(OracleState.DONE);
        assertThat(last.kafkaErrors()).isEqualTo(1);
        assertThat(sessions.steppedIn).as("the second step in a new session").containsExactly(1, 2);
        assertThat(sessions.closedSessions).isEqualTo(2);
    }

    @Test
    void aFencedOracleStopsForGoodNamingItsTransactionalId() throws Exception {
        Scripted sessions = new Scripted(() -> {
            throw new KafkaException("commit failed", new ProducerFencedException("newer producer"));
        }, () -> true);

        OracleStatus last = runToEnd(sessions);

        assertThat(last.state()).isEqualTo(OracleState.FAILED);
        assertThat(last.lastError()).hasValueSatisfying(e -> assertThat(e)
                .contains("fenced by another instance with transactional id pessimism-oracle.ns.layer1.test"));
        assertThat(sessions.steppedIn).as("never retried").containsExactly(1);
        assertThat(sessions.closed).isTrue();
    }

    @Test
    void anOracleFailureOrAnUnmendableKafkaErrorStopsForGood() throws Exception {
        Scripted reorg = new Scripted(() -> {
            throw new OracleFailure("no common ancestor within the last 64 blocks");
        }, () -> true);
        assertThat(runToEnd(reorg).lastError()).hasValue("OracleFailure: no common ancestor within the last 64 blocks");
        assertThat(reorg.steppedIn).containsExactly(1);

        Scripted tooLarge = new Scripted(() -> {
            throw new KafkaException("commit failed", new RecordTooLargeException("too large"));
        }, () -> true);
        assertThat(runToEnd(tooLarge).state()).isEqualTo(OracleState.FAILED);
        assertThat(tooLarge.steppedIn).containsExactly(1);
    }

    @Test
    void aRefusalOfTheBrokerStopsForGoodNamingThePermissionBehindTheProducersError() throws Exception {
        Scripted denied = new Scripted(() -> {
            throw new KafkaException("Cannot execute transactional method because we are in an error state",
                    new TopicAuthorizationException(java.util.Set.of("ns.layer2.geth_block")));
        }, () -> true);
        OracleStatus last = runToEnd(denied);
        assertThat(last.state()).isEqualTo(OracleState.FAILED);
        assertThat(last.lastError()).hasValueSatisfying(e -> assertThat(e).startsWith("KafkaException: Cannot execute")
                .contains(" <- caused by TopicAuthorizationException: Not authorized to access topics: [ns.layer2.geth_block]"));
        assertThat(denied.steppedIn).as("never retried").containsExactly(1);
    }

    @Test
    void closeWakesAStepWaitingForANewHead() throws Exception {
        Scripted sessions = new Scripted();
        OracleRunner runner = runner(sessions);
        runner.start();
        assertThat(sessions.waiting.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).as("the step waits").isTrue();

        long started = System.nanoTime();
        runner.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("woken, not waited out")
                .isLessThan(Duration.ofSeconds(5));
        assertThat(runner.status().state()).isEqualTo(OracleState.STOPPED);
        assertThat(sessions.closed).isTrue();
    }

    @Test
    void anOracleClosedBeforeItStartedReleasesWhatItHolds() {
        Scripted sessions = new Scripted();
        OracleRunner runner = runner(sessions);

        runner.close();

        assertThat(runner.status().state()).isEqualTo(OracleState.STOPPED);
        assertThat(sessions.closed).isTrue();
        assertThat(sessions.opened).isZero();
    }

    private static OracleStatus runToEnd(Scripted sessions) throws InterruptedException {
        return runToEnd(sessions, new NodeErrorBudget(Duration.ofMinutes(1), "node:8545"));
    }

    private static OracleStatus runToEnd(Scripted sessions, NodeErrorBudget budget) throws InterruptedException {
        try (OracleRunner runner = runner(sessions, budget)) {
            runner.start();
            assertThat(runner.awaitTermination(DEADLINE)).as("the runner ends by itself").isTrue();
            return runner.status();
        }
    }

    private static OracleRunner runner(Scripted sessions) {
        return runner(sessions, new NodeErrorBudget(Duration.ofMinutes(1), "node:8545"));
    }

    private static OracleRunner runner(Scripted sessions, NodeErrorBudget budget) {
        return new OracleRunner("ns.layer1.test", "test", sessions.status, new Backoff(Duration.ofMillis(1),
                Duration.ofMillis(5)), budget, sessions);
    }

    /** Sessions whose steps follow a script; once it is used up, a step waits until woken. */
    private static final class Scripted implements OracleSessions {
        final AtomicReference<OracleStatus> status = new AtomicReference<>(OracleStatus.starting("layer1", "test"));
        final Deque<BooleanSupplier> script;
        final List<Integer> steppedIn = new ArrayList<>();
        /** The status as each scripted step began. */
        final List<OracleStatus> statusBeforeStep = new ArrayList<>();
        final CountDownLatch waiting = new CountDownLatch(1);
        volatile int opened;
        volatile int closedSessions;
        volatile boolean closed;

        Scripted(BooleanSupplier... steps) {
            this.script = new ArrayDeque<>(List.of(steps));
        }

        @Override
        public OracleSession open() {
            int number = ++opened;
            CountDownLatch woken = new CountDownLatch(1);
            return new OracleSession() {
                @Override
                public boolean step() {
                    BooleanSupplier next = script.poll();
                    if (next == null) {
                        waiting.countDown();
                        try {
                            woken.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return false;
                    }
                    steppedIn.add(number);
                    statusBeforeStep.add(status.get());
                    return next.getAsBoolean();
                }

                @Override
                public void wake() {
                    woken.countDown();
                }

                @Override
                public void close() {
                    closedSessions++;
                }
            };
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
