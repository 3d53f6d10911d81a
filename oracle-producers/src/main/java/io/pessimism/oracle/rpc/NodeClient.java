package io.pessimism.oracle.rpc;

import io.pessimism.avro.Block;
import io.pessimism.avro.CreatedContract;
import io.pessimism.config.ContractCreations;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthBlock.TransactionObject;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthGetBalance;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.exceptions.ClientConnectionException;

/**
 * The JSON-RPC calls the GethBlock oracle makes, over web3j. A range of blocks is fetched in two
 * batches: {@code eth_getBlockByNumber(n, true)} for every height, then {@code eth_getLogs({blockHash})}
 * for every block whose bloom is not empty (the hash is only known from the first reply, and asking by
 * hash ties the logs to exactly that block even if the chain reorganises in between), in the same
 * batch as what the client's {@link ContractCreations} asks about created contracts: the receipts of
 * contract-creating transactions, the blocks' call traces.
 *
 * <p>Thread-safe: the oracle fetches several ranges at once on one client.
 */
public final class NodeClient implements AutoCloseable {

    private final String url;
    private final String network;
    private final OkHttpClient http;
    private final IdMatchingHttpService service;
    private final Web3j web3j;
    private final ContractCreations creations;
    /** The highest head the node has reported: a block below it is history, not the head. */
    private final AtomicLong knownHead = new AtomicLong(-1);
    private final NodeMeters meters;

    private NodeClient(String url, String network, OkHttpClient http, ContractCreations creations) {
        this.url = url;
        this.network = network;
        this.http = http;
        this.creations = Objects.requireNonNull(creations, "creations");
        this.service = new IdMatchingHttpService(url, http);
        this.web3j = Web3j.build(service);
        this.meters = new NodeMeters(network, url);
    }

    /**
     * @param network the label written into every block ({@code layer1}, {@code layer2})
     * @param connections how many batches may be in flight at once
     */
    public static NodeClient connect(String url, String network, int connections) {
        return connect(url, network, NodeHttpClients.create(connections));
    }

    /** A client whose blocks carry nothing about created contracts ({@code off}). */
    public static NodeClient connect(String url, String network, OkHttpClient http) {
        return connect(url, network, http, ContractCreations.OFF);
    }

    /** @param creations what {@link #blocks} fetches about the contracts the blocks created */
    public static NodeClient connect(String url, String network, OkHttpClient http, ContractCreations creations) {
        return new NodeClient(url, network, http, creations);
    }

    public String url() {
        return url;
    }

    /** web3j over the same transport, for calls this class does not wrap. */
    public Web3j web3j() {
        return web3j;
    }

    /** The node's head, {@code eth_blockNumber}. */
    public long headNumber() {
        EthBlockNumber reply = send(web3j.ethBlockNumber());
        if (reply.getResult() == null) {
            throw new NodeException("eth_blockNumber: the node answered no number");
        }
        long head;
        try {
            head = reply.getBlockNumber().longValueExact();
        } catch (RuntimeException e) {
            throw new NodeException("eth_blockNumber: unreadable number '" + reply.getResult() + "'", e);
        }
        knownHead.accumulateAndGet(head, Math::max);
        return head;
    }

    /**
     * Blocks {@code from..to} (inclusive) with their transactions and logs, in height order, and
     * what {@link #creations} asks about the contracts they created.
     *
     * @throws NodeException when the node fails or lacks one of the blocks (the message names the height)
     */
    public List<Block> blocks(long from, long to) {
        List<EthBlock.Block> raw = rawBlocks(from, to, true);
        List<Request<?, ? extends Response<?>>> requests = new ArrayList<>();
        List<BlockRequests> perBlock = new ArrayList<>(raw.size());
        for (EthBlock.Block block : raw) {
            perBlock.add(requestsOf(block, requests));
        }
        List<Response<?>> replies = sendAll(requests);
        List<Block> blocks = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            EthBlock.Block block = raw.get(i);
            BlockRequests asked = perBlock.get(i);
            long height = from + i;
            List<Log> logs = asked.logs() < 0 ? List.of()
                    : logsOf(height, block.getHash(), (EthLog) replies.get(asked.logs()));
            blocks.add(BlockMapper.toAvro(network, block, logs, creationsOf(height, block, asked, replies)));
        }
        return blocks;
    }

    /**
     * Where one block's requests of the second batch are in it (-1: not asked): its logs, the
     * receipts of its contract-creating transactions, its call trace.
     */
    private record BlockRequests(int logs, List<TransactionObject> creations, int firstReceipt, int trace) {
    }

    /**
     * Adds the block's requests to the second batch: its logs unless its bloom is empty; with
     * {@code receipts} or {@code traces} the receipt of each transaction with {@code to} null (a
     * block without one asks nothing more); with {@code traces} its call trace when it has
     * transactions. All by block hash or by the block's transaction hashes, so they are answered
     * for exactly the block read (a receipt names its block, and is checked).
     */
    private BlockRequests requestsOf(EthBlock.Block block, List<Request<?, ? extends Response<?>>> requests) {
        int logs = -1;
        if (!BlockMapper.bloomIsEmpty(block.getLogsBloom())) {
            logs = requests.size();
            requests.add(web3j.ethGetLogs(new EthFilter(block.getHash())));
        }
        List<TransactionObject> creations = new ArrayList<>();
        int firstReceipt = requests.size();
        int trace = -1;
        if (creations() != ContractCreations.OFF) {
            for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
                if (result instanceof TransactionObject tx && tx.getTo() == null) {
                    creations.add(tx);
                    requests.add(web3j.ethGetTransactionReceipt(tx.getHash()));
                }
            }
        }
        if (creations() == ContractCreations.TRACES && !block.getTransactions().isEmpty()) {
            trace = requests.size();
            requests.add(new Request<>(CallTraceCreations.METHOD, List.of(block.getHash(), CallTraceCreations.CALL_TRACER),
                    service, CallTraceCreations.Reply.class));
        }
        return new BlockRequests(logs, creations, firstReceipt, trace);
    }

    private BlockCreations creationsOf(long height, EthBlock.Block block, BlockRequests asked, List<Response<?>> replies) {
        if (creations() == ContractCreations.OFF) {
            return BlockCreations.notFetched();
        }
        List<EthGetTransactionReceipt> receipts = new ArrayList<>(asked.creations().size());
        for (int k = 0; k < asked.creations().size(); k++) {
            receipts.add((EthGetTransactionReceipt) replies.get(asked.firstReceipt() + k));
        }
        BlockCreations found = ReceiptCreations.read(height, block.getHash(), asked.creations(), receipts);
        if (creations() != ContractCreations.TRACES) {
            return found;
        }
        List<TransactionObject> transactions = new ArrayList<>(block.getTransactions().size());
        for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
            if (!(result instanceof TransactionObject tx)) {
                throw NodeException.at("eth_getBlockByNumber", height, "transactions came as hashes, full objects "
                        + "were requested");
            }
            transactions.add(tx);
        }
        List<CreatedContract> traced = asked.trace() < 0 ? List.of()
                : CallTraceCreations.read(height, block.getHash(), transactions,
                        (CallTraceCreations.Reply) replies.get(asked.trace()));
        return found.withTrace(traced, height);
    }

    /** What the blocks of {@link #blocks} carry about the contracts they created. */
    public ContractCreations creations() {
        return creations;
    }

    /** Number, hash and parent hash of blocks {@code from..to}, as the node sees them now. */
    public List<BlockHeader> headers(long from, long to) {
        List<EthBlock.Block> raw = rawBlocks(from, to, false);
        List<BlockHeader> headers = new ArrayList<>(raw.size());
        for (EthBlock.Block block : raw) {
            headers.add(BlockMapper.header(block));
        }
        return headers;
    }

    /**
     * The balance in wei of each address at the block with hash {@code blockHash} (EIP-1898
     * {@code {"blockHash": …}}, so the state is that block's even if the chain moves on meanwhile),
     * as one batch of {@code eth_getBalance}, in the order of {@code addresses}.
     *
     * @param height the block's number, named in errors
     * @throws NodeException when the node fails, does not know the block, or answers no quantity
     */
    public List<BigInteger> balances(String blockHash, long height, List<String> addresses) {
        // Some nodes (anvil) serve a read of their head block from their live state, so a block mined
        // during the read leaks into it. A read of what may be the head is bracketed by eth_blockNumber
        // and made again if the head moved meanwhile: by then the block is history, read from its state.
        if (height < knownHead.get()) {
            return balancesOnce(blockHash, height, addresses);
        }
        long before = headNumber();
        List<BigInteger> balances = balancesOnce(blockHash, height, addresses);
        if (before != height || headNumber() == before) {
            return balances;
        }
        return balancesOnce(blockHash, height, addresses);
    }

    private List<BigInteger> balancesOnce(String blockHash, long height, List<String> addresses) {
        List<Request<?, EthGetBalance>> requests = new ArrayList<>(addresses.size());
        Map<String, String> block = Map.of("blockHash", blockHash);
        for (String address : addresses) {
            requests.add(new Request<>("eth_getBalance", List.of(address, block), service, EthGetBalance.class));
        }
        List<Response<?>> replies = sendAll(requests);
        List<BigInteger> balances = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            EthGetBalance reply = (EthGetBalance) replies.get(i);
            String where = "blockHash " + blockHash + ", address " + addresses.get(i) + ": ";
            if (reply.hasError()) {
                throw NodeException.at("eth_getBalance", height, where + rpcError(reply));
            }
            if (reply.getResult() == null) {
                throw NodeException.at("eth_getBalance", height, where + "the node answered no balance");
            }
            try {
                balances.add(Quantity.decode(reply.getResult()));
            } catch (NumberFormatException e) {
                throw NodeException.at("eth_getBalance", height, where + "unreadable quantity '"
                        + reply.getResult() + "'");
            }
        }
        return balances;
    }

    private List<EthBlock.Block> rawBlocks(long from, long to, boolean fullTransactions) {
        if (to < from) {
            return List.of();
        }
        List<Request<?, EthBlock>> requests = new ArrayList<>((int) (to - from + 1));
        for (long height = from; height <= to; height++) {
            requests.add(web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(height)),
                    fullTransactions));
        }
        List<Response<?>> replies = sendAll(requests);
        List<EthBlock.Block> blocks = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            long height = from + i;
            EthBlock reply = (EthBlock) replies.get(i);
            if (reply.hasError()) {
                throw NodeException.at("eth_getBlockByNumber", height, rpcError(reply));
            }
            EthBlock.Block block = reply.getBlock();
            if (block == null) {
                throw NodeException.at("eth_getBlockByNumber", height, "the node has no such block (null reply)");
            }
            if (!BigInteger.valueOf(height).toString(16).equals(stripHex(block.getNumberRaw()))) {
                throw NodeException.at("eth_getBlockByNumber", height, "the reply is block " + block.getNumberRaw());
            }
            blocks.add(block);
        }
        return blocks;
    }

    private static List<Log> logsOf(long height, String blockHash, EthLog reply) {
        if (reply.hasError()) {
            throw NodeException.at("eth_getLogs", height, "blockHash " + blockHash + ": " + rpcError(reply));
        }
        if (reply.getLogs() == null) {
            throw NodeException.at("eth_getLogs", height, "blockHash " + blockHash + ": no log list in the reply");
        }
        List<Log> logs = new ArrayList<>(reply.getLogs().size());
        for (EthLog.LogResult<?> result : reply.getLogs()) {
            if (!(result instanceof EthLog.LogObject log)) {
                throw NodeException.at("eth_getLogs", height, "blockHash " + blockHash + ": a log came as a bare hash");
            }
            if (log.getBlockHash() != null && !log.getBlockHash().equalsIgnoreCase(blockHash)) {
                throw NodeException.at("eth_getLogs", height, "blockHash " + blockHash
                        + ": the node returned a log of block " + log.getBlockHash());
            }
            logs.add(log);
        }
        return logs;
    }

    private <T extends Response<?>> T send(Request<?, T> request) {
        long started = System.nanoTime();
        boolean ok = false;
        try {
            T reply = request.send();
            if (reply.hasError()) {
                throw new NodeException(IdMatchingHttpService.describe(request) + ": " + rpcError(reply));
            }
            ok = true;
            return reply;
        } catch (IOException | ClientConnectionException e) {
            throw unreachable(IdMatchingHttpService.describe(request), e);
        } finally {
            meters.record(request.getMethod(), ok, started);
        }
    }

    /** A batch counts as failed in the meters only when it got no replies: each reply's errors are the caller's to judge. */
    private List<Response<?>> sendAll(List<? extends Request<?, ? extends Response<?>>> requests) {
        long started = System.nanoTime();
        boolean ok = false;
        try {
            List<Response<?>> replies = service.sendAll(requests);
            ok = true;
            return replies;
        } catch (IOException | ClientConnectionException e) {
            String what = requests.isEmpty() ? "batch" : "batch of " + requests.size() + " starting with "
                    + IdMatchingHttpService.describe(requests.get(0));
            throw unreachable(what, e);
        } finally {
            meters.record(requests.isEmpty() ? "batch" : requests.get(0).getMethod(), ok, started);
        }
    }

    /** web3j reports an HTTP error status as an unchecked ClientConnectionException, I/O failures as IOException. */
    private NodeException unreachable(String what, Exception e) {
        return new NodeException(what + ": node " + url + " unreachable or failing: " + e, e);
    }

    private static String rpcError(Response<?> reply) {
        return "RPC error " + reply.getError().getCode() + " " + reply.getError().getMessage();
    }

    private static String stripHex(String quantity) {
        if (quantity == null) {
            return "";
        }
        String digits = quantity.startsWith("0x") ? quantity.substring(2) : quantity;
        digits = digits.replaceFirst("^0+(?=.)", "");
        return digits.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        web3j.shutdown();
        http.connectionPool().evictAll();
    }
}
