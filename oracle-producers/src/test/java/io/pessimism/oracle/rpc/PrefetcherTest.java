package io.pessimism.oracle.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PrefetcherTest {

    private static List<Long> heights(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void handsOutChunksInHeightOrderEvenWhenALaterOneArrivesFirst() {
        CountDownLatch laterDone = new CountDownLatch(1);
        RangeFetcher<Long> fetcher = (from, to) -> {
            if (from == 0) {
                try {
                    // the first chunk finishes only after the third has been fetched
                    assertThat(laterDone.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (from == 20) {
                laterDone.countDown();
            }
            return heights(from, to);
        };
        try (Prefetcher<Long> prefetcher = new Prefetcher<>(fetcher, 10, 3, "test")) {
            prefetcher.restartAt(0);
            assertThat(prefetcher.next(29)).contains(heights(0, 9));
            assertThat(prefetcher.next(29)).contains(heights(10, 19));
            assertThat(prefetcher.next(29)).contains(heights(20, 29));
            assertThat(prefetcher.next(29)).isEmpty();
        }
    }

    @Test
    void neverAsksForAHeightAboveTheLimit() {
        ConcurrentLinkedQueue<long[]> asked = new ConcurrentLinkedQueue<>();
        try (Prefetcher<Long> prefetcher = new Prefetcher<>((from, to) -> {
            asked.add(new long[] {from, to});
            return heights(from, to);
        }, 4, 3, "test")) {
            prefetcher.restartAt(3);
            Optional<List<Long>> chunk;
            long count = 0;
            while ((chunk = prefetcher.next(13)).isPresent()) {
                count += chunk.get().size();
            }
            assertThat(count).isEqualTo(11);
            assertThat(asked).allSatisfy(range -> assertThat(range[1]).isLessThanOrEqualTo(13));
            // the limit grows as the node's head does
            assertThat(prefetcher.next(15)).contains(heights(14, 15));
        }
    }

    @Test
    void aFailedChunkSurfacesInOrderAndFetchingResumesWhereItFailed() {
        boolean[] failOnce = {true};
        try (Prefetcher<Long> prefetcher = new Prefetcher<>((from, to) -> {
            if (from == 5 && failOnce[0]) {
                failOnce[0] = false;
                throw new NodeException("eth_getBlockByNumber for block 5: down");
            }
            return heights(from, to);
        }, 5, 2, "test")) {
            prefetcher.restartAt(0);
            assertThat(prefetcher.next(14)).contains(heights(0, 4));
            assertThatThrownBy(() -> prefetcher.next(14)).isInstanceOf(NodeException.class)
                    .hasMessageContaining("block 5");
            assertThat(prefetcher.nextHeight()).isEqualTo(5);
            assertThat(prefetcher.next(14)).contains(heights(5, 9));
            assertThat(prefetcher.next(14)).contains(heights(10, 14));
        }
    }
}
