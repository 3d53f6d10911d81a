package io.pessimism.oracle.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** A JSON-RPC endpoint answering whatever the test decides, to check how the client reads replies. */
final class FakeNode implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;

    /** @param reply from the parsed request body to the reply body, or null for an HTTP 500 */
    FakeNode(Function<JsonNode, String> reply) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            String body = reply.apply(request);
            byte[] bytes = (body == null ? "boom" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 500 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static String header(long number) {
        String hex = Long.toHexString(number);
        return "{\"number\":\"0x" + hex + "\",\"hash\":\"0x" + "a".repeat(63) + hex + "\",\"parentHash\":\"0x"
                + "b".repeat(63) + hex + "\",\"transactions\":[]}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
