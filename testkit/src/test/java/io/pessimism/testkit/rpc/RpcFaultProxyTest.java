package io.pessimism.testkit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each fault of the proxy against a real anvil: it strikes when on and as triggered, is counted, and stops when off. */
class RpcFaultProxyTest {

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADDRESS = "0x1000000000000000000000000000000000000001";

    private RpcFaultProxy proxy;
    private ChainDriver chain;

    @BeforeEach
    void open() {
        proxy = RpcFaultProxy.start(ANVIL.httpUrl());
        chain = ChainDriver.connect(ANVIL.httpUrl());
        if (chain.blockNumber() < 5) { // blocks to ask about; the node is shared by the tests of this class
            chain.mine(5 - chain.blockNumber());
        }
    }

    @AfterEach
    void close() {
        proxy.close();
        chain.close();
    }

    @Test
    void withEveryFaultOffRequestsAndBatchesPassUnchanged() throws Exception {
        String batch = "[" + call(1, "eth_getBlockByNumber", "\"0x1\", false") + ","
                + call(2, "eth_chainId", "") + "]";
        assertThat(json(post(proxy.url(), batch))).isEqualTo(json(post(ANVIL.httpUrl(), batch)));
        assertThat(json(post(proxy.url(), call(3, "eth_blockNumber", ""))).path("result").asText())
                .isEqualTo("0x" + Long.toHexString(chain.blockNumber()));
        assertThat(proxy.requests()).isEqualTo(2);
        for (NodeFault fault : NodeFault.values()) {
            assertThat(proxy.fired(fault)).as("%s", fault).isZero();
        }
    }

    @Test
    void latencyHoldsEachRequestBack() throws Exception {
        proxy.latency(Duration.ofMillis(300)).on(NodeFault.LATENCY);
        long start = System.nanoTime();
        HttpResponse<String> reply = post(proxy.url(), call(1, "eth_chainId", ""));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(json(reply).path("result").asText()).isEqualTo("0x7a69");
        assertThat(proxy.fired(NodeFault.LATENCY)).isEqualTo(1);
    }

    @Test
    void http5xxAnswersWithoutReachingTheNodeUntilSwitchedOff() throws Exception {
        long height = chain.blockNumber();
        proxy.on(NodeFault.HTTP_5XX);
        HttpResponse<String> reply = post(proxy.url(), call(1, "evm_mine", ""));
        assertThat(reply.statusCode()).isEqualTo(503);
        assertThat(chain.blockNumber()).as("the node never saw the request").isEqualTo(height);
        proxy.off(NodeFault.HTTP_5XX);
        assertThat(post(proxy.url(), call(2, "eth_chainId", "")).statusCode()).isEqualTo(200);
        assertThat(proxy.fired(NodeFault.HTTP_5XX)).isEqualTo(1);
    }

    @Test
    void aConnectionResetClosesTheConnectionAfterTheNodeDidTheWork() {
        long height = chain.blockNumber();
        proxy.on(NodeFault.CONNECTION_RESET);
        assertThatThrownBy(() -> post(proxy.url(), call(1, "evm_mine", ""))).isInstanceOf(IOException.class);
        assertThat(chain.blockNumber()).as("the node mined the block, the client never heard").isEqualTo(height + 1);
        assertThat(proxy.fired(NodeFault.CONNECTION_RESET)).isEqualTo(1);
    }

    @Test
    void malformedAndTruncatedRepliesAreNoJson() throws Exception {
        String request = call(1, "eth_getBlockByNumber", "\"0x2\", true");
        String real = post(ANVIL.httpUrl(), request).body();
        proxy.on(NodeFault.MALFORMED_JSON);
        HttpResponse<String> malformed = post(proxy.url(), request);
        assertThat(malformed.statusCode()).isEqualTo(200);
        assertThat(malformed.body()).hasSize(real.length() - 1);
        assertThatThrownBy(() -> MAPPER.readTree(malformed.body())).isInstanceOf(IOException.class);

        proxy.off(NodeFault.MALFORMED_JSON).on(NodeFault.TRUNCATED_JSON);
        HttpResponse<String> truncated = post(proxy.url(), request);
        assertThat(truncated.statusCode()).isEqualTo(200);
        assertThat(real).startsWith(truncated.body()).hasSize(truncated.body().length() * 2 + real.length() % 2);
        assertThatThrownBy(() -> MAPPER.readTree(truncated.body())).isInstanceOf(IOException.class);
        assertThat(proxy.fired(NodeFault.MALFORMED_JSON)).isEqualTo(1);
        assertThat(proxy.fired(NodeFault.TRUNCATED_JSON)).isEqualTo(1);
    }

    @Test
    void nullResultStrikesSingleElementsOfABatchAsTriggered() throws Exception {
        proxy.on(NodeFault.NULL_RESULT, FaultTrigger.method("eth_getBlockByNumber").everyNth(2));
        JsonNode replies = json(post(proxy.url(), "[" + call(1, "eth_getBlockByNumber", "\"0x1\", false") + ","
                + call(2, "eth_chainId", "") + "," + call(3, "eth_getBlockByNumber", "\"0x2\", false") + ","
                + call(4, "eth_getBlockByNumber", "\"0x3\", false") + "]"));
        assertThat(replies.get(0).path("result").path("number").asText()).isEqualTo("0x1");
        assertThat(replies.get(1).path("result").asText()).as("another method").isEqualTo("0x7a69");
        assertThat(replies.get(2).has("result")).isTrue();
        assertThat(replies.get(2).get("result").isNull()).as("the 2nd block call").isTrue();
        assertThat(replies.get(3).path("result").path("number").asText()).isEqualTo("0x3");
        assertThat(proxy.fired(NodeFault.NULL_RESULT)).isEqualTo(1);
    }

    @Test
    void aMethodTriggerLeavesOtherRequestsAlone() throws Exception {
        proxy.on(NodeFault.HTTP_5XX, FaultTrigger.method("eth_getLogs"));
        assertThat(post(proxy.url(), call(1, "eth_chainId", "")).statusCode()).isEqualTo(200);
        assertThat(post(proxy.url(), "[" + call(2, "eth_chainId", "") + ","
                + call(3, "eth_getLogs", "{\"fromBlock\": \"0x1\", \"toBlock\": \"0x1\"}") + "]").statusCode())
                .as("a batch with one eth_getLogs").isEqualTo(503);
        assertThat(proxy.fired(NodeFault.HTTP_5XX)).isEqualTo(1);
    }

    @Test
    void aLaggingNodeAnswersBlocksAboveItsHeightAsUnknownAsGethDoes() throws Exception {
        long head = chain.blockNumber();
        String justServed = chain.blockHash(head);
        String below = chain.blockHash(head - 2);
        proxy.lagBehind(2).on(NodeFault.LAGGING_NODE);
        JsonNode replies = json(post(proxy.url(), "["
                + call(1, "eth_getBlockByNumber", quantity(head - 2) + ", false") + ","
                + call(2, "eth_getBlockByNumber", quantity(head - 1) + ", false") + ","
                + call(3, "eth_getBlockByHash", "\"" + justServed + "\", false") + ","
                + call(4, "eth_getLogs", "{\"blockHash\": \"" + justServed + "\"}") + ","
                + call(5, "eth_getLogs", "{\"blockHash\": \"" + below + "\"}") + ","
                + call(6, "eth_getBalance", "\"" + ADDRESS + "\", {\"blockHash\": \"" + justServed + "\"}") + ","
                + call(7, "eth_getBalance", "\"" + ADDRESS + "\", " + quantity(head)) + ","
                + call(8, "eth_getBalance", "\"" + ADDRESS + "\", " + quantity(head - 2)) + ","
                + call(9, "eth_getBlockByNumber", "\"latest\", false") + ","
                + call(10, "eth_blockNumber", "") + "]"));
        assertThat(replies.get(0).path("result").path("hash").asText()).isEqualTo(below);
        assertThat(replies.get(1).get("result").isNull()).as("a block above the lagging height").isTrue();
        assertThat(replies.get(2).get("result").isNull()).as("the block just served, by hash").isTrue();
        assertThat(replies.get(3).path("error").path("code").asInt()).isEqualTo(-32000);
        assertThat(replies.get(3).path("error").path("message").asText()).isEqualTo("unknown block");
        assertThat(replies.get(3).has("result")).isFalse();
        assertThat(replies.get(4).path("result").isArray()).as("logs of a block it has").isTrue();
        assertThat(replies.get(5).path("error").path("message").asText()).isEqualTo("header for hash not found");
        assertThat(replies.get(6).path("error").path("message").asText()).isEqualTo("header not found");
        assertThat(replies.get(7).path("result").asText()).isEqualTo("0x0");
        assertThat(replies.get(8).path("result").path("number").asText()).as("a tag is the real node's")
                .isEqualTo(quantity(head).replace("\"", ""));
        assertThat(replies.get(9).path("result").asText()).isEqualTo(quantity(head).replace("\"", ""));
        assertThat(proxy.fired(NodeFault.LAGGING_NODE)).isEqualTo(5);

        proxy.allOff();
        assertThat(json(post(proxy.url(), call(11, "eth_getBlockByHash", "\"" + justServed + "\", false")))
                .path("result").path("hash").asText()).isEqualTo(justServed);
        assertThat(proxy.fired(NodeFault.LAGGING_NODE)).isEqualTo(5);
    }

    @Test
    void rejectsATriggerThatCouldNeverStrike() {
        assertThatThrownBy(() -> FaultTrigger.always().everyNth(0)).hasMessageContaining("everyNth");
        assertThatThrownBy(() -> proxy.lagBehind(0)).hasMessageContaining("at least 1 block");
    }

    private static String quantity(long n) {
        return "\"0x" + Long.toHexString(n) + "\"";
    }

    private static String call(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":[" + params + "]}";
    }

    private static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> reply) throws IOException {
        assertThat(reply.statusCode()).as("HTTP status of %s", reply.body()).isEqualTo(200);
        return MAPPER.readTree(reply.body());
    }
}
