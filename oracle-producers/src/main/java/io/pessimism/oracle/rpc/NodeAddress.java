package io.pessimism.oracle.rpc;

import java.net.URI;

/** How logs, metrics and statuses name a node: the {@code host:port} of its RPC URL, whose path and user info may hold an API key. */
public final class NodeAddress {

    private NodeAddress() {
    }

    /** {@code host:port} of {@code url} ({@code host} without an explicit port); "unknown" when it has no host. */
    public static String of(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getHost() == null ? "unknown" : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "unknown";
        }
    }
}
