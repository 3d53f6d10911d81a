package io.pessimism.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pessimism.network.Network;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class FollowedHeadsTest {

    @Test
    void answersTheLastHeadReadAndKeepsItWhileReadsFail() throws Exception {
        AtomicLong head = new AtomicLong(7);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicLong failedReads = new AtomicLong();
        CountDownLatch firstRead = new CountDownLatch(1);
        NextBlocks source = network -> {
            try {
                if (failure.get() != null) {
                    failedReads.incrementAndGet();
                    throw failure.get();
                }
                return head.get() + 1;
            } finally {
                firstRead.countDown();
            }
        };
        try (FollowedHeads heads = new FollowedHeads(source, Set.of(Network.LAYER1), Duration.ofMillis(10))) {
            firstRead.await();
            await("the first read is answered").atMost(Duration.ofSeconds(5))
                    .until(() -> heads.nextBlock(Network.LAYER1) == 8);
            assertThatThrownBy(() -> heads.nextBlock(Network.LAYER2)).hasMessage("no head of layer2 read yet");

            head.set(12);
            await("a later read replaces it").atMost(Duration.ofSeconds(5))
                    .until(() -> heads.nextBlock(Network.LAYER1) == 13);
            failure.set(new IllegalStateException("broker down"));
            await("a read fails").atMost(Duration.ofSeconds(5)).until(() -> failedReads.get() > 0);
            assertThat(heads.nextBlock(Network.LAYER1)).as("a failed read keeps the last head").isEqualTo(13);
        }
    }
}
