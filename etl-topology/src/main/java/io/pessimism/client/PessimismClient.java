package io.pessimism.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.InterestAccepted;
import io.pessimism.api.InterestRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.api.Problem;
import io.pessimism.api.RegisterView;
import io.pessimism.api.UpdatePipelineRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Java client of the ETL's REST API (java.net.http + Jackson), for the CLI and the risk engine.
 * Thread-safe; one instance per API. Every refusal is a {@link PessimismApiException} carrying the
 * API's problem detail.
 *
 * <pre>{@code
 * var client = PessimismClient.create("http://127.0.0.1:8080", Optional.empty());
 * PipelineCreated p = client.createPipeline(new CreatePipelineRequest("layer1", "live", "event_log",
 *         null, null, "session-1", List.of(new CreatePipelineRequest.Interest(address, List.of("Ping(address,uint256)")))));
 * }</pre>
 */
public final class PessimismClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final Optional<String> token;
    private final HttpClient http;
    private final ObjectMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // newer servers may add fields
            .build();

    private PessimismClient(URI base, Optional<String> token) {
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A client of the API at {@code baseUrl} ({@code http://host:port}), with a bearer token when given. */
    public static PessimismClient create(String baseUrl, Optional<String> token) {
        String trimmed = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return new PessimismClient(URI.create(trimmed), token.filter(t -> !t.isBlank()));
    }

    /** Creates a pipeline, or joins the identical live one ({@code reused=true}). */
    public PipelineCreated createPipeline(CreatePipelineRequest request) {
        return call("POST", "/v1/pipelines", request, type(PipelineCreated.class));
    }

    public List<PipelineView> listPipelines() {
        return call("GET", "/v1/pipelines", null, mapper.getTypeFactory().constructType(
                new TypeReference<List<PipelineView>>() { }));
    }

    public PipelineView showPipeline(String puuid) {
        return call("GET", pipeline(puuid), null, type(PipelineView.class));
    }

    public PipelineView pausePipeline(String puuid) {
        return call("POST", pipeline(puuid) + "/pause", null, type(PipelineView.class));
    }

    public PipelineView resumePipeline(String puuid) {
        return call("POST", pipeline(puuid) + "/resume", null, type(PipelineView.class));
    }

    public PipelineView stopPipeline(String puuid) {
        return call("POST", pipeline(puuid) + "/stop", null, type(PipelineView.class));
    }

    /** Moves a running backtest's end later (a done backtest's, or an earlier end, is refused with 409). */
    public PipelineView updateBacktestEnd(String puuid, long endHeight) {
        return call("PATCH", pipeline(puuid), new UpdatePipelineRequest(endHeight), type(PipelineView.class));
    }

    /** An owner leaves ({@code owner} empty: every owner); the last one removes the pipeline. */
    public PipelineView removePipeline(String puuid, Optional<String> owner, boolean keepOutput) {
        StringBuilder path = new StringBuilder(pipeline(puuid)).append("?keepOutput=").append(keepOutput);
        owner.ifPresent(o -> path.append("&owner=").append(URLEncoder.encode(o, StandardCharsets.UTF_8)));
        return call("DELETE", path.toString(), null, type(PipelineView.class));
    }

    /**
     * Watches {@code address} for {@code owner}'s event signatures, from the block the API assigns;
     * no signatures (an empty list) for a register that watches addresses only (account_balance).
     */
    public InterestAccepted addAddress(String puuid, String address, String owner, List<String> signatures) {
        return call("PUT", pipeline(puuid) + "/addresses/" + segment(address), new InterestRequest(signatures, owner),
                type(InterestAccepted.class));
    }

    /** Watches {@code address} itself for {@code owner} (account_balance), from the block the API assigns. */
    public InterestAccepted addAddress(String puuid, String address, String owner) {
        return addAddress(puuid, address, owner, List.of());
    }

    /** Withdraws {@code owner}'s interest in {@code address}. */
    public PipelineView removeAddress(String puuid, String address, String owner) {
        return call("DELETE", pipeline(puuid) + "/addresses/" + segment(address), new InterestRequest(null, owner),
                type(PipelineView.class));
    }

    public List<RegisterView> registers() {
        return call("GET", "/v1/registers", null, mapper.getTypeFactory().constructType(
                new TypeReference<List<RegisterView>>() { }));
    }

    /**
     * The registry DAG and the pipelines running here with their branches: Mermaid or DOT text, or
     * ({@code json}) the structure with each branch's topology, as JSON text.
     */
    public String graph(String format) {
        return new String(send("GET", "/v1/graph?format=" + URLEncoder.encode(format, StandardCharsets.UTF_8), null),
                StandardCharsets.UTF_8);
    }

    private static String pipeline(String puuid) {
        return "/v1/pipelines/" + segment(puuid);
    }

    // A PUUID's ':' is legal in a path segment; everything else is percent-encoded.
    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":");
    }

    private JavaType type(Class<?> type) {
        return mapper.getTypeFactory().constructType(type);
    }

    private <T> T call(String method, String path, Object body, JavaType answer) {
        byte[] answered = send(method, path, body);
        try {
            return mapper.readValue(answered, answer);
        } catch (IOException e) {
            throw new PessimismApiException(method + " " + base + path + ": unexpected answer: " + e.getMessage(), e);
        }
    }

    /** The body of a 2xx answer; a problem for a 4xx or 5xx, an unreachable API or an interrupt. */
    private byte[] send(String method, String path, Object body) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() >= 400) {
                throw new PessimismApiException(problem(response, method, uri));
            }
            return response.body();
        } catch (JsonProcessingException e) {
            throw new PessimismApiException(method + " " + uri + ": could not write the request: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new PessimismApiException("could not reach the ETL REST API at " + base + " (" + method + " "
                    + path + "): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PessimismApiException("interrupted during " + method + " " + uri, e);
        }
    }

    private Problem problem(HttpResponse<byte[]> response, String method, URI uri) {
        try {
            return mapper.readValue(response.body(), Problem.class);
        } catch (IOException e) {
            String text = new String(response.body(), StandardCharsets.UTF_8);
            return Problem.of("http-" + response.statusCode(), "HTTP " + response.statusCode(), response.statusCode(),
                    method + " " + uri + " answered " + response.statusCode() + ": " + text, null);
        }
    }

    @Override
    public String toString() {
        return "PessimismClient[" + base + "]";
    }
}
