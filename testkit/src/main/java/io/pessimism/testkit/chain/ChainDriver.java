package io.pessimism.testkit.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.tx.response.TransactionReceiptProcessor;

/**
 * Drives a dev chain (anvil) for tests: deploys the {@link Emitter} and emits its events, deploys
 * contracts (the {@link Factory}, any creation bytecode), moves ETH,
 * mines and reorganises blocks. Transactions are signed locally with the {@link DevAccounts}.
 *
 * <p>Methods returning a receipt wait for it (polling every 100 ms), so they need a mining chain
 * (automine or interval); with mining off use the {@code submit*} forms, then {@link #mine}, then
 * {@link #receipts}. Addresses are returned lowercase, 0x-prefixed.
 */
public final class ChainDriver implements AutoCloseable {

    private static final Duration RPC_READ_TIMEOUT = Duration.ofMinutes(5); // anvil_mine of thousands of blocks
    private static final int RECEIPT_POLL_MS = 100;
    private static final int RECEIPT_ATTEMPTS = 300;

    private final String rpcUrl;
    private final OkHttpClient http;
    private final ScheduledExecutorService executor;
    private final Web3j web3j;
    private final AnvilRpc anvil;
    private final TransactionSender sender;
    private final TransactionReceiptProcessor receipts;

    private ChainDriver(String rpcUrl) {
        this.rpcUrl = rpcUrl;
        this.http = new OkHttpClient.Builder()
                .socketFactory(new TcpNoDelaySocketFactory())
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(RPC_READ_TIMEOUT)
                .build();
        HttpService service = new HttpService(rpcUrl, http);
        // an own executor: Web3j.shutdown() would otherwise stop the JVM-wide default one
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chain-driver-" + rpcUrl);
            t.setDaemon(true);
            return t;
        });
        this.web3j = Web3j.build(service, RECEIPT_POLL_MS, executor);
        this.anvil = new AnvilRpc(service, rpcUrl);
        this.sender = new TransactionSender(web3j, rpcUrl);
        this.receipts = new PollingTransactionReceiptProcessor(web3j, RECEIPT_POLL_MS, RECEIPT_ATTEMPTS);
    }

    /** A driver over {@code rpcUrl} (e.g. {@code anvil.httpUrl()}); checks the node answers. */
    public static ChainDriver connect(String rpcUrl) {
        ChainDriver driver = new ChainDriver(rpcUrl);
        try {
            driver.sender.chainId(); // fail fast, naming the URL, when nothing answers
            return driver;
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
    }

    public Web3j web3j() {
        return web3j;
    }

    public long chainId() {
        return sender.chainId();
    }

    // ---- the Emitter contract ----------------------------------------------------------------

    /** Deploys a new {@link Emitter} from dev account 0 and returns its lowercase address. */
    public String deployEmitter() {
        TransactionReceipt receipt = await(sender.submit(DevAccounts.get(0), null, BigInteger.ZERO,
                Emitter.creationBytecode()));
        return receipt.getContractAddress().toLowerCase();
    }

    // ---- contract creation --------------------------------------------------------------------

    /** Deploys a new {@link Factory} from dev account 0 and returns its lowercase address. */
    public String deployFactory() {
        return deploy(Factory.creationBytecode()).getContractAddress().toLowerCase();
    }

    /** Deploys {@code creationBytecode} from dev account 0 (a transaction with {@code to} null); its receipt. */
    public TransactionReceipt deploy(String creationBytecode) {
        return await(sender.submit(DevAccounts.get(0), null, BigInteger.ZERO, creationBytecode));
    }

    /** The code at {@code address} now, 0x-prefixed ({@code 0x} where there is no contract). */
    public String code(String address) {
        return Rpc.send(web3j.ethGetCode(address, DefaultBlockParameterName.LATEST), rpcUrl).getCode();
    }

    public TransactionReceipt emitPing(String contract, String who, BigInteger value) {
        return send(DevAccounts.get(0), contract, BigInteger.ZERO, Emitter.pingCall(who, value));
    }

    public TransactionReceipt emitPong(String contract, String who, BigInteger value) {
        return send(DevAccounts.get(0), contract, BigInteger.ZERO, Emitter.pongCall(who, value));
    }

    public TransactionReceipt emitTransfer(String contract, String from, String to, BigInteger value) {
        return send(DevAccounts.get(0), contract, BigInteger.ZERO, Emitter.transferCall(from, to, value));
    }

    /** One transaction emitting {@code count} Ping events (values firstValue, firstValue+1, ...). */
    public TransactionReceipt emitPings(String contract, String who, BigInteger firstValue, int count) {
        return send(DevAccounts.get(0), contract, BigInteger.ZERO, Emitter.pingManyCall(who, firstValue, count));
    }

    /**
     * One Ping transaction per value, sent in a single JSON-RPC batch without waiting for receipts;
     * returns the transaction hashes in order. With automine each lands in its own block.
     */
    public List<String> submitPings(String contract, String who, List<BigInteger> values) {
        List<String> calls = values.stream().map(v -> Emitter.pingCall(who, v)).toList();
        return sender.submitBatch(DevAccounts.get(0), contract, calls);
    }

    /**
     * Fills {@code blocks} new blocks with {@code txsPerBlock} Ping transactions each (values 1, 2,
     * ... across all of them): mining is paused, each block's transactions are submitted in one batch
     * and mined with one {@code anvil_mine}, then the previous automine setting is restored.
     * Returns the receipts in submission order.
     */
    public List<TransactionReceipt> fillBlocks(String contract, String who, int blocks, int txsPerBlock) {
        if (blocks <= 0 || txsPerBlock <= 0) {
            throw new IllegalArgumentException("blocks and txsPerBlock must be positive, got " + blocks + " and " + txsPerBlock);
        }
        boolean automine = anvil.automine();
        anvil.setAutomine(false);
        try {
            List<String> hashes = new ArrayList<>();
            long next = 1;
            for (int b = 0; b < blocks; b++) {
                List<BigInteger> values = new ArrayList<>();
                for (int i = 0; i < txsPerBlock; i++) {
                    values.add(BigInteger.valueOf(next++));
                }
                hashes.addAll(submitPings(contract, who, values));
                anvil.mine(1);
            }
            return receipts(hashes);
        } finally {
            anvil.setAutomine(automine);
        }
    }

    // ---- plain transactions ------------------------------------------------------------------

    /** Sends {@code wei} from dev account 0 to {@code to}. */
    public TransactionReceipt transfer(String to, BigInteger wei) {
        return transfer(DevAccounts.get(0), to, wei);
    }

    public TransactionReceipt transfer(Credentials from, String to, BigInteger wei) {
        return send(from, to, wei, "0x");
    }

    /** Signs and sends any transaction and waits for its receipt; a reverted one throws. */
    public TransactionReceipt send(Credentials from, String to, BigInteger value, String data) {
        return await(sender.submit(from, to, value, data));
    }

    /** Signs and sends without waiting; returns the transaction hash. */
    public String submit(Credentials from, String to, BigInteger value, String data) {
        return sender.submit(from, to, value, data);
    }

    /** Waits for the receipts of {@code txHashes} (which must get mined), in the same order. */
    public List<TransactionReceipt> receipts(List<String> txHashes) {
        return sender.receipts(txHashes, Duration.ofMillis((long) RECEIPT_POLL_MS * RECEIPT_ATTEMPTS));
    }

    public BigInteger balance(String address) {
        return Rpc.send(web3j.ethGetBalance(address, DefaultBlockParameterName.LATEST), rpcUrl).getBalance();
    }

    // ---- blocks and mining -------------------------------------------------------------------

    public long blockNumber() {
        return Rpc.send(web3j.ethBlockNumber(), rpcUrl).getBlockNumber().longValueExact();
    }

    /** Block {@code number} with transaction hashes only; throws if there is no such block. */
    public EthBlock.Block block(long number) {
        EthBlock.Block block = Rpc.send(web3j.ethGetBlockByNumber(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false), rpcUrl).getBlock();
        if (block == null) {
            throw new IllegalArgumentException("no block " + number + " on " + rpcUrl + " (head " + blockNumber() + ")");
        }
        return block;
    }

    public String blockHash(long number) {
        return block(number).getHash();
    }

    /** Mines {@code n} blocks at once ({@code anvil_mine}). */
    public void mine(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("number of blocks to mine must be positive, got " + n);
        }
        anvil.mine(n);
    }

    /** Replaces the last {@code depth} blocks with as many new, empty ones: same height, new hashes. */
    public void reorg(int depth) {
        reorg(depth, List.of());
    }

    /** As {@link #reorg(int)}, with {@code txs} mined into the new branch at their block offsets. */
    public void reorg(int depth, List<BranchTx> txs) {
        long head = blockNumber();
        if (depth <= 0 || depth > head) {
            throw new IllegalArgumentException("reorg depth must be 1.." + head + " (the head), got " + depth);
        }
        for (BranchTx tx : txs) {
            if (tx.blockOffset() >= depth) {
                throw new IllegalArgumentException("branch tx block offset " + tx.blockOffset()
                        + " is outside a reorg of depth " + depth);
            }
        }
        anvil.reorg(depth, txs);
    }

    public void setAutomine(boolean enabled) {
        anvil.setAutomine(enabled);
    }

    public boolean automine() {
        return anvil.automine();
    }

    /** A block every {@code seconds}; 0 turns interval mining off. */
    public void setIntervalMining(long seconds) {
        anvil.setIntervalMining(seconds);
    }

    @Override
    public void close() {
        web3j.shutdown();
        executor.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private TransactionReceipt await(String txHash) {
        try {
            TransactionReceipt receipt = receipts.waitForTransactionReceipt(txHash);
            if (!receipt.isStatusOK()) {
                throw new IllegalStateException("transaction " + txHash + " reverted in block "
                        + receipt.getBlockNumber() + " on " + rpcUrl + ": " + receipt.getRevertReason());
            }
            return receipt;
        } catch (IOException e) {
            throw new UncheckedIOException("could not fetch the receipt of " + txHash + " from " + rpcUrl, e);
        } catch (TransactionException e) {
            throw new IllegalStateException("no receipt for " + txHash + " from " + rpcUrl
                    + " (is the chain mining?)", e);
        }
    }
}
