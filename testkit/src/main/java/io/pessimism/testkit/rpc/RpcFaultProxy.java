package io.pessimism.testkit.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pessimism.testkit.process.FreePort;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP JSON-RPC proxy in front of a node (anvil) that injects the {@link NodeFault}s switched on,
 * each on and off at runtime and counted each time it strikes, so a test can tell the fault happened.
 * Requests and batches are forwarded as they come; faults apply in the order of {@link NodeFault}
 * (latency, then a 5xx instead of forwarding; after forwarding a reset, then the element faults, then
 * a malformed or truncated body).
 *
 * <pre>{@code
 * try (RpcFaultProxy proxy = RpcFaultProxy.start(anvil.httpUrl())) {
 *     proxy.on(NodeFault.HTTP_5XX, FaultTrigger.method("eth_getLogs").everyNth(3));
 *     ... a client on proxy.url() ...
 *     assertThat(proxy.fired(NodeFault.HTTP_5XX)).isPositive();
 * }
 * }</pre>
 */
public final class RpcFaultProxy implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration NODE_TIMEOUT = Duration.ofMinutes(2);

    static {
        // the JDK server otherwise leaves Nagle on: a reply over ~8 KiB then waits ~40 ms for a delayed ACK
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final URI target;
    private final HttpClient http;
    private final HttpServer server;
    private final ExecutorService workers;
    private final Map<NodeFault, Switch> on = new ConcurrentHashMap<>();
    private final Map<NodeFault, AtomicLong> fired = new EnumMap<>(NodeFault.class);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile Duration latency = Duration.ofMillis(200);
    private volatile long lagBehind = 1;

    private RpcFaultProxy(URI target) throws IOException {
        this.target = target;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (NodeFault fault : NodeFault.values()) {
            fired.put(fault, new AtomicLong());
        }
        int port = FreePort.allocate();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "rpc-fault-proxy-" + port);
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A proxy on a free loopback port forwarding to {@code nodeUrl}, every fault off. */
    public static RpcFaultProxy start(String nodeUrl) {
        try {
            return new RpcFaultProxy(URI.create(nodeUrl));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start a JSON-RPC fault proxy in front of " + nodeUrl, e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Switches {@code fault} on for every request (replacing an earlier trigger of it). */
    public RpcFaultProxy on(NodeFault fault) {
        return on(fault, FaultTrigger.always());
    }

    /** Switches {@code fault} on for the requests {@code trigger} picks (replacing an earlier trigger of it). */
    public RpcFaultProxy on(NodeFault fault, FaultTrigger trigger) {
        on.put(fault, new Switch(trigger));
        return this;
    }

    public RpcFaultProxy off(NodeFault fault) {
        on.remove(fault);
        return this;
    }

    public RpcFaultProxy allOff() {
        on.clear();
        return this;
    }

    public boolean isOn(NodeFault fault) {
        return on.containsKey(fault);
    }

    /** How long {@link NodeFault#LATENCY} holds a request back (200 ms unless set). */
    public RpcFaultProxy latency(Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("latency must be >= 0, got " + value);
        }
        this.latency = value;
        return this;
    }

    /**
     * How many blocks the node {@link NodeFault#LAGGING_NODE} answers from is behind the node's head
     * at each request (1 unless set): with 1, the head block is unknown to it.
     */
    public RpcFaultProxy lagBehind(long blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("a lagging node is at least 1 block behind, got " + blocks);
        }
        this.lagBehind = blocks;
        return this;
    }

    /** How many times {@code fault} has struck: requests for a request fault, replies for an element fault. */
    public long fired(NodeFault fault) {
        return fired.get(fault).get();
    }

    /** HTTP requests received. */
    public long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            serve(exchange);
        } catch (RuntimeException e) { // the proxy's own calls to the node failed: say so rather than drop the client
            respond(exchange, 502, ("502 Bad Gateway: the fault proxy failed: " + e).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        JsonNode request = parse(body);
        List<String> methods = methodsOf(request);
        if (strikes(NodeFault.LATENCY, methods)) {
            pause(latency);
        }
        if (strikes(NodeFault.HTTP_5XX, methods)) {
            respond(exchange, 503, "503 Service Unavailable (injected by the fault proxy)"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        HttpResponse<byte[]> reply;
        try {
            reply = forward(body);
        } catch (IOException e) {
            respond(exchange, 502, ("502 Bad Gateway: " + target + " unreachable: " + e)
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (strikes(NodeFault.CONNECTION_RESET, methods)) {
            return; // closing an exchange whose headers were not sent closes its connection
        }
        byte[] answer = reply.body();
        if (request != null && reply.statusCode() == 200) {
            answer = strikeElements(request, answer);
        }
        if (strikes(NodeFault.MALFORMED_JSON, methods)) {
            answer = malformed(answer);
        }
        if (strikes(NodeFault.TRUNCATED_JSON, methods)) {
            answer = Arrays.copyOf(answer, answer.length / 2);
        }
        respond(exchange, reply.statusCode(), answer);
    }

    /** Whether a switched-on request fault strikes a request calling {@code methods}; counts it if so. */
    private boolean strikes(NodeFault fault, List<String> methods) {
        Switch s = on.get(fault);
        if (s == null || methods.stream().noneMatch(s.trigger::matches)) {
            return false;
        }
        return s.strike(fired.get(fault));
    }

    private byte[] strikeElements(JsonNode request, byte[] answer) throws JsonProcessingException {
        Switch nulls = on.get(NodeFault.NULL_RESULT);
        Switch lagging = on.get(NodeFault.LAGGING_NODE);
        if (nulls == null && lagging == null) {
            return answer;
        }
        JsonNode reply = parse(answer);
        if (reply == null) {
            return answer;
        }
        Map<String, JsonNode> calls = new HashMap<>();
        for (JsonNode call : elements(request)) {
            calls.put(call.path("id").toString(), call);
        }
        LaggingNode behind = lagging == null ? null : new LaggingNode(lagBehind, this::call);
        boolean changed = false;
        for (JsonNode element : elements(reply)) {
            JsonNode call = calls.get(element.path("id").toString());
            if (call == null || !(element instanceof ObjectNode replyElement)) {
                continue;
            }
            String method = call.path("method").asText();
            if (nulls != null && nulls.trigger.matches(method) && element.hasNonNull("result")
                    && nulls.strike(fired.get(NodeFault.NULL_RESULT))) {
                replyElement.putNull("result");
                changed = true;
            } else if (behind != null && lagging.trigger.matches(method) && behind.unknown(call, element)
                    && lagging.strike(fired.get(NodeFault.LAGGING_NODE))) {
                LaggingNode.answerUnknown(call, replyElement);
                changed = true;
            }
        }
        return changed ? MAPPER.writeValueAsBytes(reply) : answer;
    }

    private HttpResponse<byte[]> forward(byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(target).timeout(NODE_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding to " + target, e);
        }
    }

    /** One call of the proxy's own to the node (for the lagging node's view); its result, missing if none. */
    private JsonNode call(String method, Object[] params) {
        try {
            byte[] body = MAPPER.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", -ids.incrementAndGet(),
                    "method", method, "params", params));
            HttpResponse<byte[]> reply = forward(body);
            JsonNode answer = parse(reply.body());
            if (reply.statusCode() != 200 || answer == null) {
                throw new IllegalStateException(method + " on " + target + " answered HTTP " + reply.statusCode()
                        + ": " + new String(reply.body(), StandardCharsets.UTF_8));
            }
            return answer.has("result") ? answer.get("result") : MissingNode.getInstance();
        } catch (IOException e) {
            throw new UncheckedIOException(method + ": " + target + " unreachable", e);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            return null; // not JSON: forwarded as it is, no fault chooses it by method
        }
    }

    private static List<JsonNode> elements(JsonNode message) {
        List<JsonNode> elements = new ArrayList<>();
        if (message.isArray()) {
            message.forEach(elements::add);
        } else {
            elements.add(message);
        }
        return elements;
    }

    private static List<String> methodsOf(JsonNode request) {
        if (request == null) {
            return List.of();
        }
        return elements(request).stream().map(call -> call.path("method").asText()).toList();
    }

    /** The reply with its first double quote dropped: no JSON parser reads it. */
    private static byte[] malformed(byte[] answer) {
        String text = new String(answer, StandardCharsets.UTF_8);
        int quote = text.indexOf('"');
        String broken = quote < 0 ? "{" + text : text.substring(0, quote) + text.substring(quote + 1);
        return broken.getBytes(StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis()); // the injected latency itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A switched-on fault: its trigger and how many requests (or replies) it matched so far. */
    private static final class Switch {
        private final FaultTrigger trigger;
        private final AtomicLong matched = new AtomicLong();

        Switch(FaultTrigger trigger) {
            this.trigger = trigger;
        }

        /** Counts one more match; whether it is an {@code everyNth} one, counting it in {@code fired} if so. */
        boolean strike(AtomicLong fired) {
            if (matched.incrementAndGet() % trigger.everyNth() != 0) {
                return false;
            }
            fired.incrementAndGet();
            return true;
        }
    }
}
