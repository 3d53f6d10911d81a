package io.pessimism.testkit.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The view of a node {@code behind} blocks behind the node's head, for the replies to one request:
 * which calls ask about a block above its height, and how geth answers such a call. Its height is
 * asked of the node once, when first needed; block hashes are resolved to heights with
 * {@code eth_getBlockByHash}, once each.
 */
final class LaggingNode {

    /** The calls a lagging node answers as unknown for a block above its height. */
    static final Set<String> METHODS = Set.of("eth_getBlockByNumber", "eth_getBlockByHash", "eth_getLogs",
            "eth_getBalance");

    /** geth's code for "header not found" and the like. */
    private static final int SERVER_ERROR = -32000;

    private final long behind;
    private final BiFunction<String, Object[], JsonNode> node;
    private final Map<String, OptionalLong> heightOfHash = new HashMap<>();
    private Long height;

    /** @param node sends one call to the real node, its result (null when it has none) */
    LaggingNode(long behind, BiFunction<String, Object[], JsonNode> node) {
        this.behind = behind;
        this.node = node;
    }

    /** Whether {@code call}, answered {@code reply} by the real node, is about a block above this node's height. */
    boolean unknown(JsonNode call, JsonNode reply) {
        String method = call.path("method").asText();
        if (!METHODS.contains(method) || reply.has("error")) {
            return false;
        }
        OptionalLong block = blockOf(method, call.path("params"), reply);
        return block.isPresent() && block.getAsLong() > height();
    }

    /** Turns {@code reply} into geth's answer to {@code call} about a block it does not have. */
    static void answerUnknown(JsonNode call, ObjectNode reply) {
        String method = call.path("method").asText();
        switch (method) {
            case "eth_getBlockByNumber", "eth_getBlockByHash" -> reply.putNull("result");
            case "eth_getLogs" -> error(reply, "unknown block");
            default -> error(reply, call.path("params").path(1).has("blockHash") ? "header for hash not found"
                    : "header not found");
        }
    }

    private static void error(ObjectNode reply, String message) {
        reply.remove("result");
        reply.set("error", JsonNodeFactory.instance.objectNode().put("code", SERVER_ERROR).put("message", message));
    }

    private long height() {
        if (height == null) {
            JsonNode head = node.apply("eth_blockNumber", new Object[0]);
            OptionalLong number = quantity(head);
            if (number.isEmpty()) {
                throw new IllegalStateException("eth_blockNumber answered " + head + ": no height to lag behind");
            }
            height = number.getAsLong() - behind;
        }
        return height;
    }

    /** The height {@code method} asks about; empty for a tag ({@code latest}, …) or an unknown hash. */
    private OptionalLong blockOf(String method, JsonNode params, JsonNode reply) {
        switch (method) {
            case "eth_getBlockByNumber":
                return quantity(params.path(0));
            case "eth_getBlockByHash":
                return quantity(reply.path("result").path("number"));
            case "eth_getLogs": {
                JsonNode filter = params.path(0);
                if (filter.hasNonNull("blockHash")) {
                    return hashHeight(filter.get("blockHash").asText());
                }
                OptionalLong to = quantity(filter.path("toBlock"));
                return to.isPresent() ? to : quantity(filter.path("fromBlock"));
            }
            default: { // eth_getBalance(address, block): a quantity, a tag, or EIP-1898 {blockHash | blockNumber}
                JsonNode block = params.path(1);
                if (block.hasNonNull("blockHash")) {
                    return hashHeight(block.get("blockHash").asText());
                }
                return quantity(block.has("blockNumber") ? block.get("blockNumber") : block);
            }
        }
    }

    private OptionalLong hashHeight(String hash) {
        return heightOfHash.computeIfAbsent(hash,
                h -> quantity(node.apply("eth_getBlockByHash", new Object[] {h, false}).path("number")));
    }

    private static OptionalLong quantity(JsonNode node) {
        if (node == null || !node.isTextual() || !node.asText().startsWith("0x")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(node.asText().substring(2), 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
