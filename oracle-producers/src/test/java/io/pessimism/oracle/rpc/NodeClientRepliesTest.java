package io.pessimism.oracle.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How the client reads batch replies that a real node may send: reordered, partial, null, not a batch. */
class NodeClientRepliesTest {

    private static String reply(JsonNode request, String result) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + result + "}";
    }

    private static long height(JsonNode request) {
        return Long.decode(request.get("params").get(0).asText());
    }

    private static Function<JsonNode, String> batch(Function<List<String>, List<String>> arrange,
            Function<JsonNode, String> each) {
        return requests -> {
            List<String> replies = new ArrayList<>();
            for (JsonNode request : requests) {
                replies.add(each.apply(request));
            }
            return "[" + String.join(",", arrange.apply(replies)) + "]";
        };
    }

    private static NodeClient client(FakeNode node) {
        return NodeClient.connect(node.url(), "layer1", 2);
    }

    @Test
    void batchRepliesInAnyOrderAreMatchedToTheirRequestsById() throws Exception {
        try (FakeNode node = new FakeNode(batch(r -> {
            Collections.reverse(r);
            return r;
        }, request -> reply(request, FakeNode.header(height(request)))));
                NodeClient client = client(node)) {
            assertThat(client.headers(5, 9)).extracting(BlockHeader::number).containsExactly(5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void aMissingReplyIsAnErrorNamingTheRequest() throws Exception {
        try (FakeNode node = new FakeNode(batch(r -> r.subList(0, r.size() - 1),
                request -> reply(request, FakeNode.header(height(request)))));
                NodeClient client = client(node)) {
            assertThatThrownBy(() -> client.headers(1, 3)).isInstanceOf(NodeException.class)
                    .hasMessageContaining("eth_getBlockByNumber[0x3, false]").hasMessageContaining("no reply with id");
        }
    }

    @Test
    void aNullBlockPastTheTipIsAnErrorNamingTheHeight() throws Exception {
        try (FakeNode node = new FakeNode(batch(r -> r,
                request -> reply(request, height(request) > 2 ? "null" : FakeNode.header(height(request)))));
                NodeClient client = client(node)) {
            assertThatThrownBy(() -> client.headers(1, 4)).isInstanceOf(NodeException.class)
                    .hasMessage("eth_getBlockByNumber for block 3: the node has no such block (null reply)");
        }
    }

    @Test
    void aReplyForAnotherHeightIsRefused() throws Exception {
        try (FakeNode node = new FakeNode(batch(r -> r, request -> reply(request, FakeNode.header(7))));
                NodeClient client = client(node)) {
            assertThatThrownBy(() -> client.headers(1, 1))
                    .hasMessage("eth_getBlockByNumber for block 1: the reply is block 0x7");
        }
    }

    @Test
    void anRpcErrorIsReportedWithItsCodeAndHeight() throws Exception {
        try (FakeNode node = new FakeNode(batch(r -> r, request -> "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                + ",\"error\":{\"code\":-32000,\"message\":\"header not found\"}}"));
                NodeClient client = client(node)) {
            assertThatThrownBy(() -> client.headers(4, 4))
                    .hasMessage("eth_getBlockByNumber for block 4: RPC error -32000 header not found");
        }
    }

    @Test
    void aSingleErrorObjectInsteadOfABatchIsAnError() throws Exception {
        try (FakeNode node = new FakeNode(request -> "{\"jsonrpc\":\"2.0\",\"id\":null,"
                + "\"error\":{\"code\":-32600,\"message\":\"batch too large\"}}");
                NodeClient client = client(node)) {
            assertThatThrownBy(() -> client.headers(1, 2)).isInstanceOf(NodeException.class)
                    .hasMessageContaining("instead of a batch").hasMessageContaining("batch too large");
        }
    }

    @Test
    void anHttpFailureNamesTheNode() throws Exception {
        try (FakeNode node = new FakeNode(request -> null); NodeClient client = client(node)) {
            assertThatThrownBy(client::headNumber).isInstanceOf(NodeException.class)
                    .hasMessageContaining("eth_blockNumber").hasMessageContaining(NodeMeters.label(node.url()));
        }
    }

    @Test
    void anHttpFailureNamesTheNodeWithoutTheKeyItsUrlMayHold() throws Exception {
        try (FakeNode node = new FakeNode(request -> null);
                NodeClient client = NodeClient.connect(node.url().replace("http://", "http://ops:s3cret@")
                        + "/v3/0123456789abcdef", "layer1", 2)) {
            assertThatThrownBy(client::headNumber).isInstanceOf(NodeException.class)
                    .hasMessageContaining("node " + NodeMeters.label(node.url()) + " unreachable or failing")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cret", "0123456789abcdef"));
        }
    }

    @Test
    void logsOfAnotherBlockAreRefused() throws Exception {
        String bloom = "\"logsBloom\":\"0x" + "0".repeat(511) + "1\",";
        try (FakeNode node = new FakeNode(batch(r -> r, request -> {
            if (request.get("method").asText().equals("eth_getLogs")) {
                return reply(request, "[{\"address\":\"0x01\",\"topics\":[],\"data\":\"0x\",\"blockHash\":\"0xdead\","
                        + "\"transactionHash\":\"0x05\",\"transactionIndex\":\"0x0\",\"logIndex\":\"0x0\"}]");
            }
            return reply(request, FakeNode.header(height(request)).replace("{\"number\"", "{" + bloom + "\"number\""));
        })); NodeClient client = client(node)) {
            assertThatThrownBy(() -> client.blocks(2, 2)).isInstanceOf(NodeException.class)
                    .hasMessageContaining("eth_getLogs for block 2").hasMessageContaining("a log of block 0xdead");
        }
    }

    /**
     * A node that serves its head block's balances from its live state (as anvil does): a block mined
     * during the read leaks into it. The client reads the head again once it is history.
     */
    @Test
    void aBalanceReadOfTheHeadIsReadAgainWhenABlockIsMinedDuringIt() throws Exception {
        AtomicLong head = new AtomicLong(5);
        AtomicInteger balanceBatches = new AtomicInteger();
        try (FakeNode node = new FakeNode(request -> {
            if (!request.isArray()) { // eth_blockNumber
                return reply(request, "\"0x" + Long.toHexString(head.get()) + "\"");
            }
            // the first read sees block 6 mined meanwhile, and answers block 6's balance: 0x6
            String balance = balanceBatches.incrementAndGet() == 1 ? "\"0x6\"" : "\"0x5\"";
            head.compareAndSet(5, 6);
            return batch(r -> r, each -> reply(each, balance)).apply(request);
        }); NodeClient client = client(node)) {
            assertThat(client.balances("0x05", 5, List.of("0x01"))).containsExactly(BigInteger.valueOf(5));
            assertThat(balanceBatches).as("the head read again once history").hasValue(2);

            assertThat(client.balances("0x04", 4, List.of("0x01"))).containsExactly(BigInteger.valueOf(5));
            assertThat(balanceBatches).as("a block below the known head is read once").hasValue(3);
        }
    }
}
