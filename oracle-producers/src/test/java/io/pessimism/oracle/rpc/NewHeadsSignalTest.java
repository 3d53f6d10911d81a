package io.pessimism.oracle.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.oracle.bench.DevChain;
import io.pessimism.testkit.anvil.Anvil;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NewHeadsSignalTest {

    private static final Duration RETRY_INITIAL = Duration.ofMillis(100);
    private static final Duration RETRY_MAX = Duration.ofMillis(800);

    @Test
    void resubscribesWhenTheNodeComesBackOnTheSamePortAndPollingGoesOnMeanwhile() throws Exception {
        Anvil anvil = Anvil.builder().start();
        try (anvil; NewHeadsSignal signal = NewHeadsSignal.connect(Optional.of(anvil.wsUrl()), RETRY_INITIAL,
                RETRY_MAX)) {
            assertThat(signal.subscribed()).isTrue();
            awaitAnnouncedHead(signal, new DevChain(anvil.httpUrl()));

            anvil.kill();
            await("the dropped subscription is noticed").atMost(Duration.ofSeconds(10))
                    .until(() -> !signal.subscribed());
            signal.await(Duration.ZERO); // a head announced just before the kill must not count below
            // while the node is down a wait still ends at its timeout, so the oracle's polling goes on
            assertThat(signal.await(Duration.ofMillis(300))).isFalse();
            assertThat(signal.subscribed()).as("no subscription while the node is down").isFalse();

            anvil.start(); // the same port, a fresh chain
            await("subscribed again within the backoff bound").atMost(Duration.ofSeconds(10))
                    .until(signal::subscribed);
            awaitAnnouncedHead(signal, new DevChain(anvil.httpUrl()));
        }
    }

    @Test
    void aNodeThatIsDownAtFirstIsSubscribedToOnceItIsUp() throws Exception {
        Anvil anvil = Anvil.builder().build(); // its port is chosen, nothing listens yet
        try (anvil; NewHeadsSignal signal = NewHeadsSignal.connect(Optional.of(anvil.wsUrl()), RETRY_INITIAL,
                RETRY_MAX)) {
            assertThat(signal.subscribed()).isFalse();
            anvil.start();
            await("subscribed once the node is up").atMost(Duration.ofSeconds(10)).until(signal::subscribed);
            awaitAnnouncedHead(signal, new DevChain(anvil.httpUrl()));
        }
    }

    /**
     * Mines a block at a time until the signal reports one. Only a newHeads notification can end a wait
     * early here (nothing calls wake), and the first blocks may be mined before the node has registered
     * the subscription, hence more than one.
     */
    private static void awaitAnnouncedHead(NewHeadsSignal signal, DevChain chain) {
        await("a mined block is announced over the subscription").atMost(Duration.ofSeconds(15))
                .until(() -> {
                    chain.mineEmpty(1);
                    return signal.await(Duration.ofMillis(500));
                });
    }
}
