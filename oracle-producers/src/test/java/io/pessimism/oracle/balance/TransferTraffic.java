package io.pessimism.oracle.balance;

import io.pessimism.testkit.chain.ChainDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.utils.Numeric;

/**
 * Traffic for a chain that mines only on request ({@code anvil --no-mining}): on a fixed delay, one
 * ETH transfer to each of a random part of the targets (one JSON-RPC batch, signed here), then one
 * block mined, checked to hold every transfer. So most blocks change many watched balances at once
 * and leave the others as they were.
 *
 * <p>A failed round stops the traffic; {@link #check()} (call it in every wait) and {@link #stop()}
 * rethrow its failure, so a chain that silently stopped moving fails the test instead of passing it.
 */
final class TransferTraffic implements AutoCloseable {

    private static final BigInteger GAS = BigInteger.valueOf(21_000);
    /** Far above anvil's base fee, which only falls while blocks stay this empty. */
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(10_000_000_000L);

    private final ChainDriver chain;
    private final long chainId;
    private final Credentials from;
    private final List<String> targets;
    private final Random random;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "transfer-traffic");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong transfers = new AtomicLong();
    private ScheduledFuture<?> task;
    private BigInteger nonce;

    TransferTraffic(ChainDriver chain, long chainId, Credentials from, List<String> targets, long seed) {
        this.chain = chain;
        this.chainId = chainId;
        this.from = from;
        this.targets = List.copyOf(targets);
        this.random = new Random(seed);
    }

    /** Starts a round (transfers, then a block) every {@code delay} after the previous one ended. */
    synchronized void start(Duration delay) {
        if (task != null) {
            throw new IllegalStateException("the traffic runs already");
        }
        nonce = chain.web3j().ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING)
                .sendAsync().join().getTransactionCount();
        task = executor.scheduleWithFixedDelay(this::round, 0, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Blocks this traffic has mined so far. */
    long blocks() {
        return blocks.get();
    }

    /** Transfers mined so far. */
    long transfers() {
        return transfers.get();
    }

    /** Throws the failure that stopped the traffic, if one did; returns true while it runs. */
    boolean check() {
        if (task != null && task.isDone() && !task.isCancelled()) {
            rethrow();
        }
        return true;
    }

    /** Ends the traffic after the round under way and rethrows a failure that stopped it. */
    void stop() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the traffic's last round did not end within 30 s");
        }
        if (task != null) {
            rethrow();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void rethrow() {
        try {
            task.get(0, TimeUnit.MILLISECONDS);
        } catch (CancellationException e) {
            // stopped on purpose
        } catch (ExecutionException e) {
            throw new AssertionError("the transfer traffic failed after " + blocks() + " blocks: " + e.getCause(),
                    e.getCause());
        } catch (Exception e) {
            throw new AssertionError("the transfer traffic's state is unknown", e);
        }
    }

    private void round() {
        List<String> signed = new ArrayList<>();
        for (String target : targets) {
            if (random.nextInt(3) > 0) { // about two in three watched balances change in a block
                BigInteger value = BigInteger.valueOf(1 + random.nextInt(1_000_000_000));
                RawTransaction tx = RawTransaction.createEtherTransaction(nonce, GAS_PRICE, GAS, target, value);
                signed.add(Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, from)));
                nonce = nonce.add(BigInteger.ONE);
            }
        }
        if (!signed.isEmpty()) {
            var batch = chain.web3j().newBatch();
            signed.forEach(hex -> batch.add(chain.web3j().ethSendRawTransaction(hex)));
            try {
                BatchResponse response = batch.send();
                for (Response<?> reply : response.getResponses()) {
                    if (reply.hasError()) {
                        throw new IllegalStateException("eth_sendRawTransaction: " + reply.getError().getMessage());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("eth_sendRawTransaction x" + signed.size(), e);
            }
        }
        chain.mine(1);
        EthBlock.Block mined = chain.block(chain.blockNumber());
        if (mined.getTransactions().size() != signed.size()) {
            throw new IllegalStateException("block " + mined.getNumber() + " holds " + mined.getTransactions().size()
                    + " transactions, " + signed.size() + " were sent");
        }
        blocks.incrementAndGet();
        transfers.addAndGet(signed.size());
    }
}
