package io.pessimism.oracle.balance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pessimism.oracle.rpc.NodeClient;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reads started ahead: their batches queue behind those started before, and reads given up are not
 * sent. Against a JSON-RPC endpoint answering each address's balance as the number in its last digits.
 */
class BalanceReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    /** Each batch received: its block hash and first address. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    /** Holds the first batch until released, when set. */
    private volatile CountDownLatch hold;
    private NodeClient node;
    private BalanceReader reader;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            JsonNode batch = JSON.readTree(exchange.getRequestBody());
            if (!batch.isArray()) { // eth_blockNumber: every block read is history
                reply(exchange, JSON.createObjectNode().put("jsonrpc", "2.0").put("id", batch.get("id").asLong())
                        .put("result", "0x3e8").toString());
                return;
            }
            received.add(batch.get(0).get("params").get(1).get("blockHash").asText() + " "
                    + batch.get(0).get("params").get(0).asText());
            CountDownLatch latch = hold;
            if (latch != null) {
                hold = null;
                try {
                    latch.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ArrayNode replies = JSON.createArrayNode();
            for (JsonNode request : batch) {
                String address = request.get("params").get(0).asText();
                replies.addObject().put("jsonrpc", "2.0").put("id", request.get("id").asLong())
                        .put("result", "0x" + Long.toHexString(Long.parseLong(address.substring(address.length() - 4),
                                16)));
            }
            reply(exchange, replies.toString());
        });
        server.start();
        node = NodeClient.connect("http://127.0.0.1:" + server.getAddress().getPort(), "layer1", 3);
        reader = new BalanceReader(node, 2, 1, "test");
    }

    private static void reply(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        reader.close();
        node.close();
        server.stop(0);
    }

    private static String address(int i) {
        return String.format("0x%040x", i);
    }

    @Test
    void readsStartedAheadQueueBehindEarlierOnesAndAnswerInOrder() {
        BalanceReader.Started first = reader.start(List.of(new BalanceReader.Read("0xh1", 1,
                List.of(address(1), address(2), address(3)))));
        BalanceReader.Started second = reader.start(List.of(new BalanceReader.Read("0xh2", 2,
                List.of(address(4), address(5)))));

        BalanceReader.Balances later = second.await();
        BalanceReader.Balances earlier = first.await();

        assertThat(received).containsExactly("0xh1 " + address(1), "0xh1 " + address(3), "0xh2 " + address(4));
        assertThat(earlier.failure()).isEmpty();
        assertThat(earlier.byRead()).containsExactly(Map.of(address(1), BigInteger.ONE, address(2),
                BigInteger.TWO, address(3), BigInteger.valueOf(3)));
        assertThat(later.byRead()).containsExactly(Map.of(address(4), BigInteger.valueOf(4), address(5),
                BigInteger.valueOf(5)));
    }

    @Test
    void readsGivenUpAreNotSent() {
        CountDownLatch release = new CountDownLatch(1);
        hold = release;
        BalanceReader.Started givenUp = reader.start(List.of(new BalanceReader.Read("0xh1", 1,
                List.of(address(1), address(2), address(3), address(4), address(5), address(6)))));
        while (received.isEmpty()) { // the first batch is at the node, held there
            Thread.onSpinWait();
        }
        givenUp.cancel();
        release.countDown();

        // one thread: a batch given up that was still going to be sent would be sent before this one
        BalanceReader.Balances after = reader.read(List.of(new BalanceReader.Read("0xh2", 2, List.of(address(7)))));

        assertThat(after.byRead()).containsExactly(Map.of(address(7), BigInteger.valueOf(7)));
        assertThat(received).containsExactly("0xh1 " + address(1), "0xh2 " + address(7));
    }
}
