package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.config.ApiConfig;
import io.pessimism.control.RecordingBranches;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rate limit per client over HTTP: a burst is served, the next request is a 429 problem with
 * Retry-After, guesses of the token count too, and the probes are never limited.
 */
class ApiRateLimitTest {

    private static final String TOKEN = "rate-limit-token-0123456789";
    /** One request a second, three at once: the fourth request of a quick burst is refused. */
    private static final ApiConfig LIMITED = new ApiConfig("127.0.0.1", 0, Optional.of(TOKEN), 4_096, 1, 3);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ApiServer server;

    @BeforeEach
    void start() {
        Readiness ready = new Readiness(List.of(new Readiness.Check("always", Optional::empty)));
        server = TestApi.start(new RecordingGateway(TestApi::accept), LIMITED, new RecordingBranches(), ready);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void overTheBurstAClientGetsA429ProblemSayingWhenToRetry() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/v1/registers", TOKEN).statusCode()).as("request %d of the burst", i).isEqualTo(200);
        }
        HttpResponse<String> refused = get("/v1/registers", TOKEN);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode problem = json.readTree(refused.body());
        assertThat(problem.path("type").asText()).endsWith("too-many-requests");
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("detail").asText()).contains("127.0.0.1", "api.rate-limit = 1", "retry after 1 s");
        assertThat(get("/metrics", TOKEN).statusCode()).as("the metrics count against the same client").isEqualTo(429);
        assertThat(get("/health", null).statusCode()).as("probes are never limited").isEqualTo(200);
        assertThat(get("/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void guessesOfTheTokenAreLimitedBeforeTheyAreChecked() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/v1/pipelines", "guess-" + i).statusCode()).isEqualTo(401);
        }
        assertThat(get("/v1/pipelines", "guess-3").statusCode()).isEqualTo(429);
        assertThat(get("/v1/pipelines", TOKEN).statusCode()).as("the right token waits its turn too").isEqualTo(429);
    }
}
