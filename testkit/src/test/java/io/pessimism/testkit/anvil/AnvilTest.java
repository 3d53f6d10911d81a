package io.pessimism.testkit.anvil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.DevAccounts;
import java.math.BigInteger;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AnvilTest {

    @RegisterExtension
    static final AnvilExtension OPTIMISM_LIKE = AnvilExtension.of(Anvil.builder().chainId(10));

    @Test
    void answersWithTheChainIdAskedForOnItsOwnPort() {
        try (ChainDriver chain = ChainDriver.connect(OPTIMISM_LIKE.httpUrl())) {
            assertThat(chain.chainId()).isEqualTo(10);
        }
        assertThat(OPTIMISM_LIKE.httpUrl()).isEqualTo("http://127.0.0.1:" + OPTIMISM_LIKE.anvil().port());
        assertThat(OPTIMISM_LIKE.wsUrl()).isEqualTo("ws://127.0.0.1:" + OPTIMISM_LIKE.anvil().port());
    }

    @Test
    void twoNodesRunSideBySideOnDifferentPortsWithSeparateChains() {
        try (Anvil second = Anvil.builder().start();
             ChainDriver l2 = ChainDriver.connect(OPTIMISM_LIKE.httpUrl());
             ChainDriver l1 = ChainDriver.connect(second.httpUrl())) {
            assertThat(second.port()).isNotEqualTo(OPTIMISM_LIKE.anvil().port());
            assertThat(l1.chainId()).isEqualTo(Anvil.DEFAULT_CHAIN_ID);
            long l2Height = l2.blockNumber();
            l1.mine(5);
            assertThat(l1.blockNumber()).isEqualTo(5);
            assertThat(l2.blockNumber()).isEqualTo(l2Height);
        }
    }

    @Test
    void killEndsTheProcess() {
        Anvil anvil = Anvil.builder().start();
        assertThat(anvil.isRunning()).isTrue();
        anvil.kill();
        assertThat(anvil.isRunning()).isFalse();
        assertThatThrownBy(() -> ChainDriver.connect(anvil.httpUrl()))
                .hasMessageContaining(anvil.httpUrl());
        anvil.close();
    }

    @Test
    void rejectsContradictoryMiningOptions() {
        assertThatThrownBy(() -> Anvil.builder().noMining().blockTime(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--no-mining");
    }

    @Test
    void withABlockTimeOfOneSecondItMinesEmptyBlocksOnItsOwn() {
        try (Anvil anvil = Anvil.builder().blockTime(1).start();
             ChainDriver chain = ChainDriver.connect(anvil.httpUrl())) {
            // automine would stay at 0 without transactions; interval mining adds a block a second
            Awaitility.await("anvil --block-time 1 mines three blocks with no transaction sent")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(chain::blockNumber, height -> height >= 3);
            for (long n = 1; n <= 3; n++) {
                assertThat(chain.block(n).getTransactions()).as("block %d", n).isEmpty();
                assertThat(chain.block(n).getTimestamp()).as("timestamp of block %d", n)
                        .isGreaterThan(chain.block(n - 1).getTimestamp());
            }
        }
    }

    @Test
    void withoutMiningNothingIsMinedUntilAsked() {
        try (Anvil anvil = Anvil.builder().noMining().start();
             ChainDriver chain = ChainDriver.connect(anvil.httpUrl())) {
            chain.submit(DevAccounts.get(0), DevAccounts.address(1), BigInteger.ONE, "0x");
            assertThat(chain.blockNumber()).isZero();
            chain.mine(1);
            assertThat(chain.blockNumber()).isEqualTo(1);
            assertThat(chain.block(1).getTransactions()).hasSize(1);
        }
    }
}
