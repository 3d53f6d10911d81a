package io.pessimism.oracle.rpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/** The HTTP client every JSON-RPC call of the oracles goes through. */
public final class NodeHttpClients {

    private NodeHttpClients() {
    }

    /**
     * An OkHttp client with {@code TCP_NODELAY} sockets and explicit timeouts: OkHttp's default 10 s
     * read timeout is too short for a large batch of full blocks on a busy node, and an unbounded
     * one would hang the oracle on a dead connection.
     *
     * @param maxIdleConnections connections kept for the concurrent batches (one per in-flight batch)
     */
    public static OkHttpClient create(Duration connectTimeout, Duration readTimeout, int maxIdleConnections) {
        return new OkHttpClient.Builder()
                .socketFactory(new NoDelaySocketFactory())
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(readTimeout.multipliedBy(2))
                .connectionPool(new ConnectionPool(Math.max(2, maxIdleConnections), 5, TimeUnit.MINUTES))
                .retryOnConnectionFailure(false)
                .build();
    }

    /** Defaults fit for a node on the same network: 5 s to connect, 60 s to answer a batch. */
    public static OkHttpClient create(int maxIdleConnections) {
        return create(Duration.ofSeconds(5), Duration.ofSeconds(60), maxIdleConnections);
    }
}
