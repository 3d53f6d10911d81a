package io.pessimism.app.e2e;

import io.pessimism.avro.EventLogOutput;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.chain.Emitter;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Live traffic for fault tests: emits {@code pingsPerBlock} Pings per transaction (one block each,
 * automine) until stopped, and says which logs a risk engine must then have read, by
 * (blockHash, logIndex) from the receipts.
 */
final class PingStream {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<TransactionReceipt> receipts = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Void> done;

    private PingStream(ChainDriver chain, String contract, String who, int pingsPerBlock) {
        done = CompletableFuture.runAsync(() -> {
            long value = 1;
            while (running.get()) {
                receipts.add(chain.emitPings(contract, who, BigInteger.valueOf(value), pingsPerBlock));
                value += pingsPerBlock;
            }
        });
    }

    static PingStream start(ChainDriver chain, String contract, String who, int pingsPerBlock) {
        return new PingStream(chain, contract, who, pingsPerBlock);
    }

    /** Stops emitting and returns the (blockHash, logIndex) of every Ping log the receipts hold. */
    List<String> stopAndCollect() throws Exception {
        running.set(false);
        done.get(30, TimeUnit.SECONDS); // rethrows a failed emission
        return receipts.stream().flatMap(r -> r.getLogs().stream())
                .map(log -> key(log.getBlockHash(), log.getLogIndex().longValueExact()))
                .toList();
    }

    void stop() {
        running.set(false);
    }

    /** Blocks mined so far (one per transaction). */
    int blocks() {
        return receipts.size();
    }

    /** Whether it still emits: a failed emission ends it. */
    boolean running() {
        return !done.isDone();
    }

    String describe() {
        return "emitter: " + receipts.size() + " transactions, "
                + (done.isCompletedExceptionally() ? "failed: " + done.handle((v, e) -> e).join()
                : done.isDone() ? "stopped" : "running");
    }

    /** The (blockHash, logIndex) of each record of an event_log {@code .out}. */
    static List<String> keys(List<EventLogOutput> records) {
        return records.stream().map(r -> key(r.getValue().getBlockHash(), r.getValue().getLogIndex())).toList();
    }

    /**
     * The (blockHash, logIndex) of every Ping of {@code contract} in blocks 1..{@code head}, in chain
     * order, as the node answers {@code eth_getLogs}: what a checker holds {@code .out} against.
     */
    static List<String> onTheNode(ChainDriver chain, String contract, long head) throws Exception {
        List<String> keys = new ArrayList<>();
        long step = 500;
        for (long from = 1; from <= head; from += step) {
            EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(Math.min(head, from + step - 1))), contract);
            filter.addSingleTopic(Emitter.PING_TOPIC);
            EthLog logs = chain.web3j().ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new IllegalStateException("eth_getLogs " + from + "..: " + logs.getError().getMessage());
            }
            for (EthLog.LogResult<?> result : logs.getLogs()) {
                Log entry = (Log) result.get();
                keys.add(key(entry.getBlockHash(), entry.getLogIndex().longValueExact()));
            }
        }
        return keys;
    }

    static String key(String blockHash, long logIndex) {
        return blockHash.toLowerCase() + "#" + logIndex;
    }
}
