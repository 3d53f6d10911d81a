package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.control.RecordingBranches;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the REST API with random and mutated requests ({@link RequestFuzzer}) over raw sockets,
 * against a server without a token and one with a token, each over a {@link RecordingGateway}:
 * every answer is 2xx or 4xx, never 5xx; every 4xx is an RFC 9457 problem that names no Java
 * class and shows no stack trace; a refused request sends nothing to the control plane; a valid
 * one is accepted; and afterwards the service is still ready and still creates pipelines.
 *
 * <p>The seed is printed with every failure; {@code -Dfuzz.seed=<seed>} replays a run,
 * {@code -Dfuzz.requests=<n>} changes its length.
 */
class ApiFuzzTest {

    private static final int MAX_BYTES = 4_096;
    private static final String TOKEN = "fuzz-token-0123456789abcdef";
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 3_000);
    /** What a body must not show: Java types, packages, exceptions, stack frames. */
    private static final Pattern LEAK = Pattern.compile(
            "Exception|Error:|\\bat [\\w$]+(?:\\.[\\w$<>]+)+\\(|\\.java:\\d+|\\bjava\\.|\\bjavax?\\.|jakarta\\.|io\\.pessimism\\."
                    + "|com\\.fasterxml|org\\.eclipse|io\\.javalin|org\\.apache|Caused by|`[\\w$.]+`");

    private final ObjectMapper json = new ObjectMapper();
    private final RecordingGateway gateway = new RecordingGateway(TestApi::accept);
    private ApiServer open;
    private ApiServer secured;

    @BeforeEach
    void start() {
        Readiness ready = new Readiness(List.of(new Readiness.Check("always", Optional::empty)));
        open = TestApi.start(gateway, Optional.empty(), new RecordingBranches(), ready, MAX_BYTES);
        secured = TestApi.start(gateway, Optional.of(TOKEN), new RecordingBranches(), ready, MAX_BYTES);
    }

    @AfterEach
    void stop() {
        open.close();
        secured.close();
    }

    @Test
    @Timeout(120)
    void randomAndMutatedRequestsGetOnly2xxOr4xxProblemsAndRefusedOnesStoreNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        RequestFuzzer fuzzer = new RequestFuzzer(new Random(seed), MAX_BYTES);
        TreeMap<Integer, Integer> statuses = new TreeMap<>();
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < REQUESTS && softly.errorsCollected().size() < Integer.getInteger("fuzz.failures", 20); i++) {
            boolean withToken = i % 3 == 0;
            FuzzRequest request = fuzzer.next(withToken ? Optional.of(TOKEN) : Optional.empty());
            String where = "seed " + seed + " (replay: -Dfuzz.seed=" + seed + "), request #" + i + " to the "
                    + (withToken ? "secured" : "open") + " server: " + request;
            int sentBefore = gateway.sent().size();
            RawHttp.Response response;
            try {
                response = RawHttp.exchange((withToken ? secured : open).port(), request.bytes());
            } catch (java.io.IOException e) {
                softly.fail("no answer to %s: %s", where, e.getMessage());
                continue;
            }
            int commands = gateway.sent().size() - sentBefore;
            statuses.merge(response.status(), 1, Integer::sum);
            check(softly, request, response, commands, where);
        }
        softly.assertAll();
        System.out.printf("fuzzed %d requests (seed %d): statuses %s, commands sent %d%n", REQUESTS, seed, statuses,
                gateway.sent().size());

        for (ApiServer server : List.of(open, secured)) {
            RawHttp.Response ready = RawHttp.exchange(server.port(), get("/ready"));
            assertThat(ready.status()).as("still ready after the fuzz (seed %d): %s", seed, ready.text()).isEqualTo(200);
        }
        int before = gateway.sent().size();
        FuzzRequest create = new FuzzRequest("create", "POST", "/v1/pipelines".getBytes(StandardCharsets.US_ASCII),
                List.of(("Authorization: Bearer " + TOKEN).getBytes(StandardCharsets.US_ASCII)),
                "{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"after-fuzz\"}"
                        .getBytes(StandardCharsets.US_ASCII), false, true);
        RawHttp.Response created = RawHttp.exchange(secured.port(), create.bytes());
        assertThat(created.status()).as("a valid create after the fuzz (seed %d): %s", seed, created.text())
                .isEqualTo(201);
        assertThat(gateway.sent()).hasSize(before + 1);
    }

    private void check(SoftAssertions softly, FuzzRequest request, RawHttp.Response response, int commands,
            String where) throws Exception {
        int status = response.status();
        softly.assertThat(status).as("status of %s%n  answer: %s", where, response.text()).isBetween(200, 499);
        if (status < 200 || status >= 500) {
            return;
        }
        if (status >= 300) {
            softly.assertThat(commands).as("commands sent for a refused request, %s", where).isZero();
        } else {
            softly.assertThat(commands).as("commands sent for %s", where).isLessThanOrEqualTo(1);
        }
        if (request.shouldPass()) {
            softly.assertThat(status).as("a valid request refused: %s%n  answer: %s", where, response.text())
                    .isBetween(200, 299);
        }
        if (status >= 400 && !request.method().equals("HEAD")) {
            problem(softly, status, response, where);
        }
    }

    /** An RFC 9457 problem of this status with type, title, status and detail, and no Java internals. */
    private void problem(SoftAssertions softly, int status, RawHttp.Response response, String where) {
        String text = response.text();
        softly.assertThat(response.header("Content-Type")).as("content type of a %d, %s%n  answer: %s", status, where,
                text).startsWith(Problem.MEDIA_TYPE);
        softly.assertThat(LEAK.matcher(text).find()).as("Java internals in the answer to %s%n  answer: %s", where, text)
                .isFalse();
        JsonNode problem;
        try {
            problem = json.readTree(response.body());
        } catch (java.io.IOException e) {
            softly.fail("not JSON: the answer to %s%n  answer: %s", where, text);
            return;
        }
        softly.assertThat(problem != null && problem.isObject()).as("a JSON object, %s%n  answer: %s", where, text)
                .isTrue();
        if (problem == null || !problem.isObject()) {
            return;
        }
        softly.assertThat(problem.path("type").asText()).as("type, %s", where).startsWith("urn:pessimism:problem:");
        softly.assertThat(problem.path("title").asText()).as("title, %s", where).isNotBlank();
        softly.assertThat(problem.path("status").asInt()).as("status member, %s", where).isEqualTo(status);
        softly.assertThat(problem.path("detail").asText()).as("detail, %s", where).isNotBlank();
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
