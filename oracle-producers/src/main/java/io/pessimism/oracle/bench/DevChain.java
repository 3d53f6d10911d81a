package io.pessimism.oracle.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pessimism.oracle.rpc.NodeHttpClients;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Fills a dev node (anvil) with blocks fast, for the benchmarks and the oracle's tests:
 * transactions are sent from the node's unlocked dev accounts with {@code eth_sendTransaction} in
 * JSON-RPC batches with automine off, then one {@code evm_mine} per block takes them all. Every
 * transaction calls a tiny contract that emits one log carrying the call data, so blocks have logs.
 * Balances are set directly ({@code anvil_setBalance}), a block's worth at a time.
 */
public final class DevChain {

    /**
     * Init code returning a runtime that copies its call data to memory and emits
     * {@code LOG1(topic=0x…cafe, data=calldata)}; no Solidity needed.
     */
    private static final String LOGGER_INIT_CODE = "0x602c600c600039602c6000f3"
            + "3660006000377f" + "000000000000000000000000000000000000000000000000000000000000cafe" + "366000a100";

    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String url;
    private final OkHttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private final List<String> accounts;
    private final long[] nonces;
    private String logger;

    public DevChain(String url) {
        this.url = url;
        this.http = NodeHttpClients.create(Duration.ofSeconds(5), Duration.ofMinutes(5), 2);
        this.accounts = new ArrayList<>();
        for (JsonNode account : call("eth_accounts", MAPPER.createArrayNode())) {
            accounts.add(account.asText());
        }
        this.nonces = new long[accounts.size()];
        for (int i = 0; i < accounts.size(); i++) {
            nonces[i] = Long.decode(call("eth_getTransactionCount", params(accounts.get(i), "pending")).asText());
        }
    }

    public long head() {
        return Long.decode(call("eth_blockNumber", MAPPER.createArrayNode()).asText());
    }

    /** Mines {@code count} empty blocks in one call. */
    public void mineEmpty(long count) {
        call("anvil_mine", params("0x" + Long.toHexString(count)));
    }

    /**
     * Mines {@code blocks} blocks of {@code txsPerBlock} log-emitting transactions each.
     * Automine is off while it runs and back on afterwards.
     */
    public void mineWithLogs(int blocks, int txsPerBlock) {
        int[] perBlock = new int[blocks];
        java.util.Arrays.fill(perBlock, txsPerBlock);
        mineWithLogs(perBlock);
    }

    /** Mines one block per entry, with that many log-emitting transactions. */
    public void mineWithLogs(int[] txsPerBlock) {
        String target = logger();
        call("evm_setAutomine", params(false));
        try {
            for (int b = 0; b < txsPerBlock.length; b++) {
                ArrayNode batch = MAPPER.createArrayNode();
                for (int t = 0; t < txsPerBlock[b]; t++) {
                    int account = t % accounts.size();
                    ObjectNode tx = MAPPER.createObjectNode()
                            .put("from", accounts.get(account))
                            .put("to", target)
                            .put("gas", "0x9c40")
                            .put("nonce", "0x" + Long.toHexString(nonces[account]++))
                            .put("data", "0x" + String.format("%064x", ((long) b << 20) | t));
                    batch.add(request("eth_sendTransaction", MAPPER.createArrayNode().add(tx)));
                }
                checkBatch(batch);
                call("evm_mine", MAPPER.createArrayNode());
            }
        } finally {
            call("evm_setAutomine", params(true));
        }
    }

    /**
     * Sets each address's balance in wei ({@code anvil_setBalance}, one batch), then mines one block
     * ({@code evm_mine}). Anvil keeps the state of its newest block live, so the new balances show at the
     * block that was the head when they were set (and stay there), as well as at the block mined.
     */
    public void setBalancesAndMine(Map<String, BigInteger> balances) {
        ArrayNode batch = MAPPER.createArrayNode();
        balances.forEach((address, wei) -> batch.add(request("anvil_setBalance",
                params(address, "0x" + wei.toString(16)))));
        if (!batch.isEmpty()) {
            checkBatch(batch);
        }
        call("evm_mine", MAPPER.createArrayNode());
    }

    /** Deploys the log-emitting contract once; its address. */
    public String logger() {
        if (logger == null) {
            ObjectNode tx = MAPPER.createObjectNode().put("from", accounts.get(0)).put("data", LOGGER_INIT_CODE)
                    .put("nonce", "0x" + Long.toHexString(nonces[0]++));
            String hash = call("eth_sendTransaction", MAPPER.createArrayNode().add(tx)).asText();
            JsonNode receipt = call("eth_getTransactionReceipt", params(hash));
            if (receipt.isNull()) {
                call("evm_mine", MAPPER.createArrayNode());
                receipt = call("eth_getTransactionReceipt", params(hash));
            }
            logger = receipt.get("contractAddress").asText();
        }
        return logger;
    }

    /** Replaces the last {@code depth} blocks with new ones holding {@code txs} log-emitting calls. */
    public void reorg(int depth, int txs) {
        String target = logger();
        ArrayNode pairs = MAPPER.createArrayNode();
        for (int t = 0; t < txs; t++) {
            int account = t % accounts.size();
            ObjectNode tx = MAPPER.createObjectNode()
                    .put("from", accounts.get(account))
                    .put("to", target)
                    .put("gas", "0x9c40")
                    .put("nonce", "0x" + Long.toHexString(nonces[account]++))
                    .put("data", "0x" + String.format("%064x", 0xdead0000L + t));
            pairs.add(MAPPER.createArrayNode().add(tx).add(t % depth));
        }
        call("anvil_reorg", MAPPER.createArrayNode().add(depth).add(pairs));
        // The replaced blocks may have held transactions of these accounts: count again.
        for (int i = 0; i < accounts.size(); i++) {
            nonces[i] = Long.decode(call("eth_getTransactionCount", params(accounts.get(i), "latest")).asText());
        }
    }

    private JsonNode call(String method, ArrayNode params) {
        JsonNode reply = post(request(method, params));
        if (reply.has("error")) {
            throw new IllegalStateException(method + params + " failed: " + reply.get("error"));
        }
        return reply.get("result");
    }

    private void checkBatch(ArrayNode batch) {
        JsonNode reply = post(batch);
        for (JsonNode item : reply) {
            if (item.has("error")) {
                throw new IllegalStateException("batch call failed: " + item.get("error"));
            }
        }
    }

    private JsonNode post(JsonNode payload) {
        Request request = new Request.Builder().url(url).post(RequestBody.create(payload.toString(), JSON)).build();
        try (Response response = http.newCall(request).execute()) {
            return MAPPER.readTree(response.body().byteStream());
        } catch (IOException e) {
            throw new IllegalStateException("could not reach " + url + ": " + e, e);
        }
    }

    private ObjectNode request(String method, ArrayNode params) {
        return MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", ids.incrementAndGet()).put("method", method)
                .set("params", params);
    }

    private static ArrayNode params(Object... values) {
        ArrayNode params = MAPPER.createArrayNode();
        for (Object value : values) {
            params.addPOJO(value);
        }
        return params;
    }
}
