package io.pessimism.oracle.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pessimism.avro.Block;
import io.pessimism.avro.CreatedContract;
import io.pessimism.avro.CreationKind;
import io.pessimism.config.ContractCreations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the client asks and how it reads the replies about created contracts, against a node
 * answering what the test decides: only creating transactions' receipts, one trace per block with
 * transactions, failed creations and reverted frames left out, and every unusable reply a
 * {@link NodeException} naming the block rather than an empty list.
 */
class NodeClientCreationsTest {

    private static final String BLOCK_HASH = "0x" + "ab".repeat(32);
    private static final String EOA = "0x00000000000000000000000000000000000000e0";
    private static final String FACTORY = "0x00000000000000000000000000000000000000fa";
    private static final String CREATED = "0x00000000000000000000000000000000000000c1";
    private static final String CHILD = "0x00000000000000000000000000000000000000c2";
    private static final String DEPLOY_TX = "0x" + "01".repeat(32);
    private static final String CALL_TX = "0x" + "02".repeat(32);

    private final List<String> asked = new CopyOnWriteArrayList<>();

    private static String tx(String hash, int index, String to) {
        return "{\"hash\":\"" + hash + "\",\"from\":\"" + EOA + "\",\"to\":" + (to == null ? "null" : "\"" + to + "\"")
                + ",\"value\":\"0x0\",\"nonce\":\"0x" + index + "\",\"gas\":\"0x5208\",\"input\":\"0x\",\"type\":\"0x2\","
                + "\"transactionIndex\":\"0x" + index + "\"}";
    }

    private static String block(String... transactions) {
        return "{\"number\":\"0x2\",\"hash\":\"" + BLOCK_HASH + "\",\"parentHash\":\"0x" + "cd".repeat(32) + "\","
                + "\"timestamp\":\"0x1\",\"miner\":\"" + EOA + "\",\"gasUsed\":\"0x0\",\"gasLimit\":\"0x1\","
                + "\"stateRoot\":\"0x00\",\"receiptsRoot\":\"0x00\",\"logsBloom\":\"0x" + "0".repeat(512) + "\","
                + "\"transactions\":[" + String.join(",", transactions) + "]}";
    }

    private static String receipt(String txHash, String blockHash, String status, String address) {
        return "{\"transactionHash\":\"" + txHash + "\",\"blockHash\":\"" + blockHash + "\",\"status\":\"" + status
                + "\",\"contractAddress\":\"" + address + "\",\"logs\":[]}";
    }

    private static String deploymentTrace(String extra) {
        return "{\"txHash\":\"" + DEPLOY_TX + "\",\"result\":{\"type\":\"CREATE\",\"from\":\"" + EOA + "\",\"to\":\""
                + CREATED + "\"" + extra + "}}";
    }

    /** A call to the factory that creates CHILD, and one more child inside a call that reverted. */
    private static String factoryTrace() {
        return "{\"txHash\":\"" + CALL_TX + "\",\"result\":{\"type\":\"CALL\",\"from\":\"" + EOA + "\",\"to\":\"" + FACTORY
                + "\",\"calls\":[{\"type\":\"CREATE2\",\"from\":\"" + FACTORY + "\",\"to\":\"" + CHILD + "\"},"
                + "{\"type\":\"CALL\",\"from\":\"" + FACTORY + "\",\"to\":\"" + FACTORY + "\",\"error\":\"execution reverted\","
                + "\"calls\":[{\"type\":\"CREATE\",\"from\":\"" + FACTORY + "\",\"to\":\"0x" + "99".repeat(20) + "\"}]}]}}";
    }

    /** A node holding block 2 with these transactions, answering receipts and traces as given (by method). */
    private FakeNode node(String block, Map<String, Function<JsonNode, String>> answers) throws Exception {
        return new FakeNode(requests -> {
            List<String> replies = new ArrayList<>();
            for (JsonNode request : requests) {
                String method = request.get("method").asText();
                asked.add(method);
                String result = method.equals("eth_getBlockByNumber") ? block : answers.get(method).apply(request);
                replies.add(result.startsWith("{\"error\"")
                        ? "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + "," + result.substring(1)
                        : "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + result + "}");
            }
            return "[" + String.join(",", replies) + "]";
        });
    }

    private static NodeClient client(FakeNode node, ContractCreations creations) {
        return NodeClient.connect(node.url(), "layer1", NodeHttpClients.create(2), creations);
    }

    @Test
    void tracesListTheDeploymentAndTheFactorysCreationButNotTheRevertedFrame() throws Exception {
        try (FakeNode node = node(block(tx(DEPLOY_TX, 0, null), tx(CALL_TX, 1, FACTORY)), Map.of(
                "eth_getTransactionReceipt", r -> receipt(DEPLOY_TX, BLOCK_HASH, "0x1", CREATED),
                "debug_traceBlockByHash", r -> "[" + deploymentTrace("") + "," + factoryTrace() + "]"));
                NodeClient client = client(node, ContractCreations.TRACES)) {
            Block block = client.blocks(2, 2).get(0);

            assertThat(block.getCreatedContracts()).containsExactly(
                    new CreatedContract(DEPLOY_TX, 0, EOA, CREATED, CreationKind.TRANSACTION),
                    new CreatedContract(CALL_TX, 1, FACTORY, CHILD, CreationKind.CREATE2));
            assertThat(block.getTransactions().get(0).getContractAddress()).isEqualTo(CREATED);
            assertThat(asked).as("one receipt (the creating transaction's) and one trace, in the second batch")
                    .containsExactly("eth_getBlockByNumber", "eth_getTransactionReceipt", "debug_traceBlockByHash");
        }
    }

    @Test
    void receiptsAreAskedOnlyForCreatingTransactionsAndAFailedCreationIsNotListed() throws Exception {
        try (FakeNode node = node(block(tx(DEPLOY_TX, 0, null), tx(CALL_TX, 1, FACTORY)), Map.of(
                "eth_getTransactionReceipt", r -> receipt(DEPLOY_TX, BLOCK_HASH, "0x0", CREATED)));
                NodeClient client = client(node, ContractCreations.RECEIPTS)) {
            Block block = client.blocks(2, 2).get(0);

            assertThat(block.getCreatedContracts()).as("the creation failed: nothing was created").isEmpty();
            assertThat(block.getTransactions().get(0).getContractAddress()).as("the receipt's, as it says")
                    .isEqualTo(CREATED);
            assertThat(asked).containsExactly("eth_getBlockByNumber", "eth_getTransactionReceipt");
        }
    }

    @Test
    void aBlockWithoutCreatingTransactionsCostsNothingMoreWithReceipts() throws Exception {
        try (FakeNode node = node(block(tx(CALL_TX, 0, FACTORY)), Map.of());
                NodeClient client = client(node, ContractCreations.RECEIPTS)) {
            assertThat(client.blocks(2, 2).get(0).getCreatedContracts()).isEmpty();
            assertThat(asked).containsExactly("eth_getBlockByNumber");
        }
    }

    @Test
    void offAsksNothingAndLeavesTheListOut() throws Exception {
        try (FakeNode node = node(block(tx(DEPLOY_TX, 0, null)), Map.of());
                NodeClient client = client(node, ContractCreations.OFF)) {
            assertThat(client.blocks(2, 2).get(0).getCreatedContracts()).isNull();
            assertThat(asked).containsExactly("eth_getBlockByNumber");
        }
    }

    @Test
    void aNodeWithoutTheDebugNamespaceIsANodeErrorNamingTheBlockAndTheSetting() throws Exception {
        try (FakeNode node = node(block(tx(CALL_TX, 0, FACTORY)), Map.of("debug_traceBlockByHash",
                r -> "{\"error\":{\"code\":-32601,\"message\":\"the method debug_traceBlockByHash does not exist\"}}"));
                NodeClient client = client(node, ContractCreations.TRACES)) {
            assertThatThrownBy(() -> client.blocks(2, 2)).isInstanceOf(NodeException.class)
                    .hasMessageStartingWith("debug_traceBlockByHash for block 2: blockHash " + BLOCK_HASH
                            + ": RPC error -32601")
                    .hasMessageContaining("contract-creations=traces needs a node with the debug namespace");
        }
    }

    @Test
    void aTraceReplyThatIsNotOneTracePerTransactionIsANodeError() throws Exception {
        String twoTransactions = block(tx(DEPLOY_TX, 0, null), tx(CALL_TX, 1, FACTORY));
        Function<JsonNode, String> receipt = r -> receipt(DEPLOY_TX, BLOCK_HASH, "0x1", CREATED);
        for (var bad : List.of(
                Map.entry("null", "expected an array of traces, got null"),
                Map.entry("[" + deploymentTrace("") + "]", "1 traces for 2 transactions"),
                Map.entry("[" + factoryTrace() + "," + deploymentTrace("") + "]", "trace 0 is of transaction " + CALL_TX),
                Map.entry("[" + deploymentTrace("").replace(",\"to\":\"" + CREATED + "\"", "") + "," + factoryTrace() + "]",
                        "a call frame of transaction " + DEPLOY_TX + " has no to"),
                Map.entry("[{\"txHash\":\"" + DEPLOY_TX + "\",\"error\":\"tracer timeout\"}," + factoryTrace() + "]",
                        "transaction " + DEPLOY_TX + " could not be traced: \"tracer timeout\""))) {
            try (FakeNode node = node(twoTransactions, Map.of("eth_getTransactionReceipt", receipt,
                    "debug_traceBlockByHash", r -> bad.getKey()));
                    NodeClient client = client(node, ContractCreations.TRACES)) {
                assertThatThrownBy(() -> client.blocks(2, 2)).as(bad.getKey()).isInstanceOf(NodeException.class)
                        .hasMessageStartingWith("debug_traceBlockByHash for block 2")
                        .hasMessageContaining(bad.getValue());
            }
        }
    }

    @Test
    void aTraceThatDisagreesWithTheReceiptIsANodeError() throws Exception {
        try (FakeNode node = node(block(tx(DEPLOY_TX, 0, null)), Map.of(
                "eth_getTransactionReceipt", r -> receipt(DEPLOY_TX, BLOCK_HASH, "0x1", CHILD),
                "debug_traceBlockByHash", r -> "[" + deploymentTrace("") + "]"));
                NodeClient client = client(node, ContractCreations.TRACES)) {
            assertThatThrownBy(() -> client.blocks(2, 2)).isInstanceOf(NodeException.class)
                    .hasMessage("debug_traceBlockByHash for block 2: transaction " + DEPLOY_TX + " created " + CREATED
                            + " by its trace but " + CHILD + " by its receipt");
        }
    }

    @Test
    void aReceiptOfAnotherBlockMeansTheChainMovedAndIsANodeError() throws Exception {
        String other = "0x" + "ef".repeat(32);
        try (FakeNode node = node(block(tx(DEPLOY_TX, 0, null)), Map.of(
                "eth_getTransactionReceipt", r -> receipt(DEPLOY_TX, other, "0x1", CREATED)));
                NodeClient client = client(node, ContractCreations.RECEIPTS)) {
            assertThatThrownBy(() -> client.blocks(2, 2)).isInstanceOf(NodeException.class)
                    .hasMessage("eth_getTransactionReceipt for block 2: transaction " + DEPLOY_TX + ": the receipt is of "
                            + "block " + other + ", not " + BLOCK_HASH + " (the chain reorganised meanwhile)");
        }
    }

    @Test
    void aMissingReceiptIsANodeError() throws Exception {
        try (FakeNode node = node(block(tx(DEPLOY_TX, 0, null)), Map.of("eth_getTransactionReceipt", r -> "null"));
                NodeClient client = client(node, ContractCreations.RECEIPTS)) {
            assertThatThrownBy(() -> client.blocks(2, 2)).isInstanceOf(NodeException.class)
                    .hasMessageContaining("eth_getTransactionReceipt for block 2: transaction " + DEPLOY_TX
                            + ": the node has no receipt");
        }
    }
}
