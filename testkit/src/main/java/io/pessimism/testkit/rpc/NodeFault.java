package io.pessimism.testkit.rpc;

/**
 * What an {@link RpcFaultProxy} can do wrong, each switched on and off at runtime and counted each
 * time it strikes. A <em>request</em> fault strikes one HTTP request as a whole (a JSON-RPC batch
 * entirely); an <em>element</em> fault strikes single replies inside a batch, the rest of the batch
 * being answered as the node answered it.
 */
public enum NodeFault {

    /** Request: waits {@link RpcFaultProxy#latency(java.time.Duration)} before forwarding it. */
    LATENCY(false),
    /** Request: answered {@code 503 Service Unavailable} without reaching the node, as a balancer does. */
    HTTP_5XX(false),
    /**
     * Request: forwarded, then the connection is closed without a reply: the node did the work, the
     * client never hears of it.
     */
    CONNECTION_RESET(false),
    /** Request: the node's reply with a JSON syntax error in it (its first double quote dropped), HTTP 200. */
    MALFORMED_JSON(false),
    /** Request: the first half of the node's reply, as a complete HTTP 200 response. */
    TRUNCATED_JSON(false),
    /** Element: a successful reply's {@code result} replaced by {@code null}. */
    NULL_RESULT(true),
    /**
     * Element: a node {@link RpcFaultProxy#lagBehind(long) lagging} behind the one that answers
     * {@code eth_blockNumber}, as behind a balancer: {@code eth_getBlockByNumber},
     * {@code eth_getBlockByHash}, {@code eth_getLogs} and {@code eth_getBalance} about a block above
     * its height are answered as geth answers an unknown block ({@code null}, or JSON-RPC error
     * {@code -32000}), though the client may just have been served that block.
     */
    LAGGING_NODE(true);

    private final boolean perElement;

    NodeFault(boolean perElement) {
        this.perElement = perElement;
    }

    /** Whether it strikes single replies of a batch rather than the whole request. */
    public boolean perElement() {
        return perElement;
    }
}
