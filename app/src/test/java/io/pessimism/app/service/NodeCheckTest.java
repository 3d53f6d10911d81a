package io.pessimism.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pessimism.network.Network;
import io.pessimism.testkit.process.FreePort;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The oracle service's node check against a node stand-in on loopback, and a port where none listens. */
class NodeCheckTest {

    private HttpServer node;
    private final AtomicReference<String> reply = new AtomicReference<>("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x2a\"}");

    @BeforeEach
    void startNode() throws Exception {
        node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        node.createContext("/", exchange -> {
            byte[] body = reply.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.get().startsWith("{") ? 200 : 502, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        node.start();
    }

    @AfterEach
    void stopNode() {
        node.stop(0);
    }

    @Test
    void everyNodeAnsweringIsNoProblem() {
        assertThat(check(Map.of(Network.LAYER1, nodeUrl())).problem()).isEmpty();
    }

    @Test
    void aNodeDownOrAnsweringNoBlockNumberIsNamedWithItsNetworkAndHostOnly() {
        String down = "http://127.0.0.1:" + FreePort.allocate() + "/v1/secret-api-key";
        NodeCheck check = check(Map.of(Network.LAYER1, nodeUrl(), Network.LAYER2, down));

        assertThat(check.problem()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("layer2 node at 127.0.0.1:" + URI.create(down).getPort() + " unreachable")
                .doesNotContain("layer1", "secret-api-key"));

        reply.set("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32000,\"message\":\"syncing\"}}");
        assertThat(check(Map.of(Network.LAYER1, nodeUrl())).problem()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("layer1 node at 127.0.0.1:" + node.getAddress().getPort() + " answered no block number")
                .contains("syncing"));

        reply.set("bad gateway");
        assertThat(check(Map.of(Network.LAYER1, nodeUrl())).problem()).hasValueSatisfying(why -> assertThat(why)
                .endsWith("answered HTTP 502"));
    }

    private String nodeUrl() {
        return "http://127.0.0.1:" + node.getAddress().getPort();
    }

    private static NodeCheck check(Map<Network, String> urls) {
        return new NodeCheck(urls.keySet().stream().sorted().toList(), urls::get, Duration.ofSeconds(2));
    }
}
