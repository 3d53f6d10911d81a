package io.pessimism.app.service;

import io.pessimism.network.Network;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Whether the node of each enabled network answers {@code eth_blockNumber}, for the oracle
 * service's {@code /ready}: asked of the node itself, so a standby process that runs no oracle
 * still tells whether it could. The nodes are asked at once, each within the timeout; a failure
 * names the network and the node's host and port (never its path, which may hold an API key).
 */
public final class NodeCheck {

    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}";

    private final List<Network> networks;
    private final Function<Network, String> rpcUrlOf;
    private final Duration timeout;
    private final HttpClient http;

    public NodeCheck(List<Network> networks, Function<Network, String> rpcUrlOf, Duration timeout) {
        this.networks = List.copyOf(networks);
        this.rpcUrlOf = rpcUrlOf;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Why some node does not answer, or empty when every one does. */
    public Optional<String> problem() {
        Map<Network, CompletableFuture<HttpResponse<String>>> asked = new LinkedHashMap<>();
        for (Network network : networks) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrlOf.apply(network)))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BLOCK_NUMBER, StandardCharsets.UTF_8))
                    .build();
            asked.put(network, http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        }
        List<String> problems = new ArrayList<>();
        asked.forEach((network, reply) -> answer(reply).ifPresent(why -> problems.add(network.label() + " node at "
                + OracleMetrics.node(rpcUrlOf.apply(network)) + " " + why)));
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    private Optional<String> answer(CompletableFuture<HttpResponse<String>> reply) {
        HttpResponse<String> response;
        try {
            // the request's own timeout ends it; this bound is for a connect that hangs past it
            response = reply.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            reply.cancel(true);
            return Optional.of("did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Optional.of("unreachable: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("not asked: interrupted");
        }
        if (response.statusCode() != 200) {
            return Optional.of("answered HTTP " + response.statusCode());
        }
        if (!response.body().contains("\"result\"")) {
            return Optional.of("answered no block number: " + abbreviate(response.body()));
        }
        return Optional.empty();
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
