package io.pessimism.oracle.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsExponentiallyWithJitterUpToTheBoundAndStartsOverAfterReset() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        assertThat(backoff.next()).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
        // from the fifth failure on, 100 ms * 2^4 exceeds the bound: [max/2, max]
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next()).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
        }
        backoff.reset();
        assertThat(backoff.next()).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    }
}
