package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-client token buckets on a clock the test moves. */
class ClientRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ClientRateLimiter limiter = new ClientRateLimiter(10, 3, now::get);

    @Test
    void aClientMayBurstThenGetsOneRequestPerIntervalAndLearnsWhen() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).as("request %d of the burst", i).isEmpty();
        }
        assertThat(limiter.acquire("a")).as("over the burst: the next token is 100 ms away")
                .contains(Duration.ofMillis(100));
        now.addAndGet(Duration.ofMillis(40).toNanos());
        assertThat(limiter.acquire("a")).as("a refused request costs nothing").contains(Duration.ofMillis(60));
        now.addAndGet(Duration.ofMillis(60).toNanos());
        assertThat(limiter.acquire("a")).isEmpty();
        assertThat(limiter.acquire("a")).isPresent();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("a")).as("refilled up to the burst, not beyond").isEmpty();
        }
        assertThat(limiter.acquire("a")).isPresent();
    }

    @Test
    void eachClientHasItsOwnBucket() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        assertThat(limiter.acquire("a")).isPresent();
        assertThat(limiter.acquire("b")).isEmpty();
    }

    @Test
    void idleClientsAreForgottenWhenThereAreTooManyButBusyOnesAreNot() {
        for (int i = 0; i <= ClientRateLimiter.MAX_CLIENTS; i++) {
            limiter.acquire("client-" + i);
        }
        now.addAndGet(Duration.ofMillis(950).toNanos()); // the one-request clients are idle (full again)
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire("busy")).isEmpty();
        }
        now.addAndGet(Duration.ofMillis(50).toNanos()); // a second after the start: the first sweep is due
        assertThat(limiter.acquire("another")).isEmpty();
        assertThat(limiter.acquire("busy")).as("limited still: its bucket was kept (a new one would allow 3)")
                .contains(Duration.ofMillis(50));
    }

    @Test
    void aFloodFromMoreAddressesThanItRemembersIsForgottenRatherThanHeld() {
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        for (int i = 0; i < 3; i++) {
            limiter.acquire("busy");
        }
        for (int i = 0; i <= ClientRateLimiter.MAX_CLIENTS; i++) {
            limiter.acquire("client-" + i);
        }
        // nobody was idle at the sweep: everyone was forgotten, so memory stays bounded
        assertThat(limiter.acquire("busy")).as("forgotten: a fresh bucket").isEmpty();
        assertThat(limiter.acquire("busy")).isEmpty();
    }

    @Test
    void aRateOrBurstBelowOneIsRefused() {
        assertThatThrownBy(() -> new ClientRateLimiter(0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientRateLimiter(1, 0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
