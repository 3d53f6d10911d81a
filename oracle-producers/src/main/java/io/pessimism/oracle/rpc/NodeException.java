package io.pessimism.oracle.rpc;

/**
 * The node failed, could not be reached, or answered something unusable. The message names the
 * method and, where there is one, the block height; the oracle backs off and retries the same range.
 */
public final class NodeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NodeException(String message) {
        super(message);
    }

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }

    static NodeException at(String method, long height, String problem) {
        return new NodeException(method + " for block " + height + ": " + problem);
    }
}
