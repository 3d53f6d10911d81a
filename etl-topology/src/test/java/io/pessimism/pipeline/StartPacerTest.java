package io.pessimism.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StartPacerTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void aSecondStartWaitsUntilTheFirstEndsItsTurn() {
        StartPacer pacer = new StartPacer(1, Duration.ofMinutes(1), timer);
        StartPacer.Turn first = pacer.await("a");
        assertThat(first.granted()).isTrue();

        CompletableFuture<StartPacer.Turn> second = CompletableFuture.supplyAsync(() -> pacer.await("b"));
        await("the second start stays queued while the first holds the only turn")
                .during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());

        first.end();
        first.end(); // twice: still one turn given back
        await("the second start gets the turn").atMost(Duration.ofSeconds(5)).until(second::isDone);
        assertThat(second.join().granted()).isTrue();
        assertThat(pacer.available()).as("the double end gave back one turn, not two").isZero();
        second.join().end();
        assertThat(pacer.available()).isEqualTo(1);
    }

    @Test
    void aTurnNobodyEndsIsGivenBackAfterTheLongestTurn() {
        StartPacer pacer = new StartPacer(1, Duration.ofMillis(200), timer);
        pacer.await("stuck");
        await("the stuck start's turn expires").atMost(Duration.ofSeconds(5)).until(() -> pacer.available() == 1);
    }

    @Test
    void closingLetsAWaitingStartGoWithoutATurn() {
        StartPacer pacer = new StartPacer(1, Duration.ofMinutes(1), timer);
        pacer.await("holder");
        CompletableFuture<StartPacer.Turn> waiting = CompletableFuture.supplyAsync(() -> pacer.await("waiting"));
        await("the start waits behind the holder").during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !waiting.isDone());

        pacer.close();
        await("closing releases it").atMost(Duration.ofSeconds(5)).until(waiting::isDone);
        assertThat(waiting.join().granted()).isFalse();
    }

    @Test
    void atLeastOneStartAtATime() {
        assertThatThrownBy(() -> new StartPacer(0, Duration.ofSeconds(1), timer))
                .hasMessageContaining("at least one branch");
        assertThat(StartPacer.defaultAtOnce()).isPositive();
    }
}
