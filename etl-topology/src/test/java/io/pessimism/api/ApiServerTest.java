package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.avro.CommandType;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.control.ControlPlaneUnavailable;
import io.pessimism.control.RecordingBranches;
import io.pessimism.pipe.EventLogPipeFactory;
import io.pessimism.topology.ComponentCatalog;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The REST API over HTTP with a recording gateway in place of Kafka: every bad input is a problem
 * naming the field and nothing is sent to the control plane.
 */
class ApiServerTest {

    private static final String PUUID = TestApi.PUUID;
    private static final String ADDRESS = "0x00000000000000000000000000000000000000AA";
    private static final int MAX_BYTES = 2_048;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final RecordingGateway gateway = new RecordingGateway(TestApi::accept);
    private ApiServer server;

    @BeforeEach
    void start() {
        server = start(Optional.empty());
    }

    /** What the control-plane readiness check answers; a test makes it fail. */
    private final AtomicReference<Optional<String>> controlPlane = new AtomicReference<>(Optional.empty());

    private ApiServer start(Optional<String> token) {
        return start(token, new RecordingBranches());
    }

    private ApiServer start(Optional<String> token, RecordingBranches branches) {
        Readiness ready = new Readiness(List.of(new Readiness.Check("always", Optional::empty),
                new Readiness.Check("control-plane", controlPlane::get)));
        return TestApi.start(gateway, token, branches, ready, MAX_BYTES);
    }

    @Test
    void readyIsA503ProblemNamingEachFailingCheckAndHealthStaysUp() throws Exception {
        assertThat(send("GET", "/ready", null).statusCode()).isEqualTo(200);

        controlPlane.set(Optional.of("control-plane app is REBALANCING"));

        JsonNode notReady = problem(send("GET", "/ready", null), 503);
        assertThat(notReady.path("detail").asText()).isEqualTo("control-plane: control-plane app is REBALANCING");
        assertThat(notReady.path("checks").path("always").asText()).as("every check, by name").isEqualTo("ok");
        assertThat(notReady.path("checks").path("control-plane").asText()).isEqualTo("control-plane app is REBALANCING");
        assertThat(send("GET", "/health", null).statusCode()).as("liveness is not readiness").isEqualTo(200);
        controlPlane.set(Optional.empty());
        assertThat(send("GET", "/ready", null).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode problem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.MEDIA_TYPE);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).startsWith("urn:pessimism:problem:");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("instance").asText()).startsWith("/");
        return problem;
    }

    @Test
    void aLiveStartBelowWhatTheBlockTopicHoldsIsRefusedNamingTheRangeItHolds() throws Exception {
        JsonNode refused = problem(send("POST", "/v1/pipelines", """
                {"network": "layer1", "type": "live", "register": "event_log", "owner": "risk-1",
                 "startHeight": 9}"""), 400);
        assertThat(refused.path("detail").asText()).isEqualTo("startHeight: startHeight 9 is below what "
                + "pessimism.layer1.geth_block holds: blocks 10..41 (only a backtest reads an older range, through a "
                + "source of its own)");
        assertThat(gateway.sent()).as("nothing is stored").isEmpty();

        assertThat(send("POST", "/v1/pipelines", """
                {"network": "layer1", "type": "live", "register": "geth_block", "owner": "risk-1",
                 "startHeight": 10}""").statusCode()).isEqualTo(201);
        assertThat(gateway.sent()).singleElement().satisfies(c -> assertThat(c.getCreate().getOwnSource()).isFalse());
    }

    @Test
    void aBacktestBelowWhatTheBlockTopicHoldsReadsASourceOfItsOwnUnlessItReadsSeveralOracles() throws Exception {
        assertThat(send("POST", "/v1/pipelines", """
                {"network": "layer1", "type": "backtest", "register": "event_log", "owner": "risk-1",
                 "startHeight": 9, "endHeight": 20}""").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/v1/pipelines", """
                {"network": "layer1", "type": "backtest", "register": "event_log", "owner": "risk-1",
                 "startHeight": 10, "endHeight": 20}""").statusCode()).isEqualTo(201);
        assertThat(gateway.sent()).extracting(c -> c.getCreate().getStartHeight() + ":" + c.getCreate().getOwnSource())
                .as("only the range older than the topic reads a source of its own").containsExactly("9:true", "10:false");

        JsonNode refused = problem(send("POST", "/v1/pipelines", """
                {"network": "layer1", "type": "backtest", "register": "l1_l2_block_sync", "owner": "risk-1",
                 "startHeight": 9, "endHeight": 20}"""), 400);
        assertThat(refused.path("detail").asText()).isEqualTo("startHeight: startHeight 9 is below what "
                + "pessimism.layer1.geth_block holds: blocks 10..41; a l1_l2_block_sync backtest reads 2 oracle topics "
                + "and cannot read an older range through a source of its own yet");
        assertThat(gateway.sent()).hasSize(2);
    }

    @Test
    void anAccountBalanceBacktestOfBlocksBeforeTheNextOneReadsItsOwnBalanceHistory() throws Exception {
        for (String range : List.of("\"startHeight\": 30, \"endHeight\": 50", "\"startHeight\": 42, \"endHeight\": 50")) {
            assertThat(send("POST", "/v1/pipelines", """
                    {"network": "layer1", "type": "backtest", "register": "account_balance", "owner": "risk-1",
                     %s, "interests": [{"address": "%s"}]}""".formatted(range, ADDRESS)).statusCode())
                    .isEqualTo(201);
        }
        assertThat(gateway.sent()).extracting(c -> c.getCreate().getStartHeight() + ":" + c.getCreate().getOwnSource())
                .as("the next block is 42: the oracle never read the balances of the blocks before it for these "
                        + "interests").containsExactly("30:true", "42:false");
    }

    @Test
    void aValidCreateBecomesOneCommandStampedWithTheNextBlock() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/pipelines", """
                {"network": "layer1", "type": "live", "register": "event_log", "owner": "risk-1",
                 "interests": [{"address": "%s", "signatures": ["Ping(address,uint256)"]}]}""".formatted(ADDRESS));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode created = json.readTree(response.body());
        assertThat(created.path("puuid").asText()).isEqualTo(PUUID);
        assertThat(created.path("reused").asBoolean()).isFalse();
        assertThat(created.path("state").asText()).isEqualTo("starting");
        assertThat(created.path("topic").asText()).endsWith(".out");
        assertThat(gateway.sent()).singleElement().satisfies(command -> {
            assertThat(command.getType()).isEqualTo(CommandType.CREATE);
            assertThat(command.getNextBlock()).isEqualTo(42L);
            assertThat(command.getCreate().getInterests()).containsOnlyKeys(ADDRESS.toLowerCase());
        });
        JsonNode shown = json.readTree(send("GET", "/v1/pipelines/" + PUUID, null).body());
        assertThat(shown.path("owners").get(0).asText()).as("a read follows this instance's write").isEqualTo("risk-1");
    }

    @Test
    void anL1L2BlockSyncCreateIsAcceptedOnEitherNetworkAndTakesNoInterests() throws Exception {
        for (String network : List.of("layer1", "layer2")) {
            HttpResponse<String> response = send("POST", "/v1/pipelines", """
                    {"network": "%s", "type": "live", "register": "l1_l2_block_sync", "owner": "risk-1"}"""
                    .formatted(network));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
        assertThat(gateway.sent()).extracting(c -> c.getCreate().getRegister() + "@" + c.getCreate().getNetwork())
                .containsExactly("l1_l2_block_sync@layer1", "l1_l2_block_sync@layer2");

        JsonNode refused = problem(send("POST", "/v1/pipelines", """
                {"network": "layer1", "register": "l1_l2_block_sync", "owner": "risk-1",
                 "interests": [{"address": "%s"}]}""".formatted(ADDRESS)), 400);
        assertThat(refused.path("field").asText()).isEqualTo("interests");
        assertThat(refused.path("detail").asText()).contains("register l1_l2_block_sync takes no addresses");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown network|{\"network\":\"layer3\",\"register\":\"event_log\",\"owner\":\"o\"}|network|served networks: layer1, layer2",
        "missing network|{\"register\":\"event_log\",\"owner\":\"o\"}|network|is required",
        "unknown type|{\"network\":\"layer1\",\"type\":\"replay\",\"register\":\"event_log\",\"owner\":\"o\"}|type|live, backtest",
        "unknown register|{\"network\":\"layer1\",\"register\":\"nope\",\"owner\":\"o\"}|register|known registers: account_balance, geth_block, event_log, l1_l2_block_sync, contract_create_tx",
        "missing owner|{\"network\":\"layer1\",\"register\":\"event_log\"}|owner|an owner",
        "blank owner|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"  \"}|owner|an owner",
        "backtest without end|{\"network\":\"layer1\",\"type\":\"backtest\",\"register\":\"event_log\",\"owner\":\"o\",\"startHeight\":5}|endHeight|needs startHeight and endHeight",
        "backtest without start|{\"network\":\"layer1\",\"type\":\"backtest\",\"register\":\"event_log\",\"owner\":\"o\",\"endHeight\":5}|startHeight|needs startHeight and endHeight",
        "heights out of order|{\"network\":\"layer1\",\"type\":\"backtest\",\"register\":\"event_log\",\"owner\":\"o\",\"startHeight\":9,\"endHeight\":5}|startHeight|after endHeight 5",
        "negative start|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"startHeight\":-1}|startHeight|>= 0",
        "live with an end|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"endHeight\":5}|endHeight|has no end",
        "interests on a register without addresses|{\"network\":\"layer1\",\"register\":\"geth_block\",\"owner\":\"o\",\"interests\":[{\"address\":\"0x00000000000000000000000000000000000000aa\"}]}|interests|addressable registers: account_balance, event_log",
        "signatures for an address-only register|{\"network\":\"layer1\",\"register\":\"account_balance\",\"owner\":\"o\",\"interests\":[{\"address\":\"0x00000000000000000000000000000000000000aa\",\"signatures\":[\"Ping()\"]}]}|interests[0].signatures|watches addresses, not events",
        "short address|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"interests\":[{\"address\":\"0xabc\",\"signatures\":[]}]}|interests[0].address|40 hex digits",
        "non-hex address|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"interests\":[{\"address\":\"0x00000000000000000000000000000000000000zz\"}]}|interests[0].address|40 hex digits",
        "address listed twice|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"interests\":[{\"address\":\"0x00000000000000000000000000000000000000aa\"},{\"address\":\"0x00000000000000000000000000000000000000AA\"}]}|interests[1].address|already listed at interests[0]",
        "spaces in a signature|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"interests\":[{\"address\":\"0x00000000000000000000000000000000000000aa\",\"signatures\":[\"Ping(address,uint256)\",\"Transfer(address, address, uint256)\"]}]}|interests[0].signatures[1]|canonical: Transfer(address,address,uint256)",
        "alias type in a signature|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"interests\":[{\"address\":\"0x00000000000000000000000000000000000000aa\",\"signatures\":[\"Transfer(address,address,uint)\"]}]}|interests[0].signatures[0]|write uint256",
        "malformed JSON|{\"network\": \"layer1\",|-|not valid JSON",
        "unknown field|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"colour\":\"red\"}|colour|unknown field",
        "text height|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"startHeight\":\"ten\"}|startHeight|startHeight must be an integer, not a string",
        "fractional height|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"startHeight\":1.5}|startHeight|must be an integer, not a fractional number",
        "height out of range|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"startHeight\":123456789012345678901234567890}|startHeight|out of range: an integer from -9223372036854775808",
        "object for a string|{\"network\":{\"layer\":1},\"register\":\"event_log\",\"owner\":\"o\"}|network|network must be a string, not an object",
        "array for the body|[{\"network\":\"layer1\"}]|-|the body must be an object, not an array",
        "non-numeric number|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"startHeight\":NaN}|-|not valid JSON: Non-standard token 'NaN' (line 1, column",
        "signatures not a list|{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\",\"interests\":[{\"address\":\"0x00000000000000000000000000000000000000aa\",\"signatures\":\"Ping()\"}]}|interests[0].signatures|must be an array, not a string",
        "empty body|-|-|a JSON object"})
    void badCreatesAreRefusedNamingTheFieldAndNothingIsSent(String name, String body, String field, String detail)
            throws Exception {
        JsonNode problem = problem(send("POST", "/v1/pipelines", "-".equals(body) ? "" : body), 400);
        if ("-".equals(field)) {
            assertThat(problem.has("field")).isFalse();
        } else {
            assertThat(problem.path("field").asText()).isEqualTo(field);
        }
        assertThat(problem.path("detail").asText()).contains(detail)
                .as("in JSON's terms, not Java's or Jackson's").doesNotContain("`", "java.", "io.pessimism", "Json");
        assertThat(gateway.sent()).isEmpty();
    }

    @Test
    void requestsTheHttpServerRefusesBeforeRoutingAreProblemsWhateverTheClientAccepts() throws Exception {
        rawProblem(raw("GET /v1/pipelines", "Accept: text/html", "X-Big: " + "b".repeat(9_000)), 431);
        rawProblem(raw("GET /v1/" + "a".repeat(20_000), "Accept: text/html"), 414);
        rawProblem(raw("GET /v1/pipelines", "Accept: application/json", "X-Ctl: a\u0001b"), 400);
        rawProblem(raw("PUT /v1/pipelines/%zz/addresses/" + ADDRESS), 400);
        assertThat(gateway.sent()).isEmpty();
    }

    @Test
    void aProblemEchoingNonAsciiInputIsUtf8Json() throws Exception {
        String owner = "ünï|日本";
        JsonNode refused = problem(send("POST", "/v1/pipelines",
                "{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"" + owner + "\"}"), 400);
        assertThat(refused.path("detail").asText()).contains("\"" + owner + "\" must not contain '|'");
    }

    /** The answer to a request sent byte for byte: {@code line} and header lines, closing the connection. */
    private RawHttp.Response raw(String line, String... headers) throws Exception {
        StringBuilder request = new StringBuilder(line).append(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return RawHttp.exchange(server.port(), request.append("\r\n").toString()
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    private void rawProblem(RawHttp.Response response, int status) throws Exception {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo(Problem.MEDIA_TYPE);
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).startsWith("urn:pessimism:problem:");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).startsWith("the request cannot be read as HTTP/1.1: ");
    }

    @Test
    void anOraclesRegisterIsAPipelineLikeAnyOther() throws Exception {
        for (String register : List.of("geth_block", "account_balance")) {
            HttpResponse<String> response = send("POST", "/v1/pipelines",
                    "{\"network\":\"layer1\",\"register\":\"%s\",\"owner\":\"o\"}".formatted(register));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        }
        assertThat(gateway.sent()).extracting(c -> c.getCreate().getRegister())
                .containsExactly("geth_block", "account_balance");
    }

    @Test
    void aRegisterThisServiceCannotComputeIsRefusedNamingTheImplementedOnes() throws Exception {
        server.close();
        server = start(Optional.empty(), new RecordingBranches(ComponentCatalog.of(List.of(new EventLogPipeFactory()))));

        JsonNode problem = problem(send("POST", "/v1/pipelines",
                "{\"network\":\"layer2\",\"type\":\"backtest\",\"register\":\"account_balance\",\"owner\":\"o\","
                        + "\"startHeight\":1,\"endHeight\":5}"), 400);
        assertThat(problem.path("field").asText()).isEqualTo("register");
        assertThat(problem.path("detail").asText()).contains("register account_balance is an oracle without a delivery")
                .contains("implemented registers: [event_log]");
        assertThat(gateway.sent()).isEmpty();
    }

    @Test
    void badInterestsAreRefusedNamingTheField() throws Exception {
        String path = "/v1/pipelines/" + PUUID + "/addresses/";
        assertThat(problem(send("PUT", path + "0x12", "{\"owner\":\"o\",\"signatures\":[]}"), 400)
                .path("field").asText()).isEqualTo("address");
        assertThat(problem(send("PUT", path + ADDRESS, "{\"owner\":\"o\",\"signatures\":[\"Ping(address, uint256)\"]}"), 400)
                .path("field").asText()).isEqualTo("signatures[0]");
        assertThat(problem(send("PUT", path + ADDRESS, "{\"signatures\":[\"Ping()\"]}"), 400)
                .path("field").asText()).isEqualTo("owner");
        assertThat(problem(send("PUT", path + ADDRESS, "{\"owner\":\"a|b\",\"signatures\":[]}"), 400)
                .path("detail").asText()).contains("must not contain '|'");
        String gethBlock = PUUID.replace("pipe:event_log", "oracle:geth_block");
        assertThat(problem(send("PUT", "/v1/pipelines/" + gethBlock + "/addresses/" + ADDRESS,
                "{\"owner\":\"o\",\"signatures\":[]}"), 400).path("detail").asText()).contains("takes no addresses");
        String balances = gethBlock.replace("geth_block", "account_balance");
        assertThat(problem(send("PUT", "/v1/pipelines/" + balances + "/addresses/" + ADDRESS,
                "{\"owner\":\"o\",\"signatures\":[\"Ping()\"]}"), 400).path("field").asText()).isEqualTo("signatures");
        assertThat(gateway.sent()).isEmpty();

        HttpResponse<String> accepted = send("PUT", path + ADDRESS, "{\"owner\":\"o\",\"signatures\":[\"Ping()\"]}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        JsonNode interest = json.readTree(accepted.body());
        assertThat(interest.path("address").asText()).isEqualTo(ADDRESS.toLowerCase());
        assertThat(interest.path("effectiveFrom").asLong()).isEqualTo(42L);
        assertThat(gateway.sent()).singleElement().satisfies(c -> assertThat(c.getType()).isEqualTo(CommandType.ADD_INTEREST));

        HttpResponse<String> addressOnly = send("PUT", "/v1/pipelines/" + balances + "/addresses/" + ADDRESS,
                "{\"owner\":\"o\"}");
        assertThat(addressOnly.statusCode()).as(addressOnly.body()).isEqualTo(200);
        assertThat(gateway.sent()).last().satisfies(c -> {
            assertThat(c.getPuuid()).isEqualTo(balances);
            assertThat(c.getSignatures()).isEmpty();
        });
    }

    @Test
    void unknownPipelinesAndRoutesAre404Problems() throws Exception {
        assertThat(problem(send("GET", "/v1/pipelines/" + PUUID, null), 404).path("field").asText()).isEqualTo("puuid");
        assertThat(problem(send("GET", "/v1/pipelines/not-a-puuid", null), 404).path("detail").asText())
                .contains("not-a-puuid");
        problem(send("GET", "/v1/nothing-here", null), 404);
        gateway.answer(command -> PipelineCommandReply.newBuilder().setRequestId(command.getRequestId()).setOk(false)
                .setError(io.pessimism.avro.CommandError.newBuilder().setStatus(404).setTitle("Unknown pipeline")
                        .setDetail("no pipeline has PUUID " + command.getPuuid()).setField("puuid").build()).build());
        JsonNode refused = problem(send("POST", "/v1/pipelines/" + PUUID + "/pause", null), 404);
        assertThat(refused.path("type").asText()).isEqualTo("urn:pessimism:problem:unknown-pipeline");
    }

    @Test
    void aControlPlaneThatDoesNotAnswerIsA503Problem() throws Exception {
        gateway.answer(command -> {
            throw new ControlPlaneUnavailable("no reply to CREATE request " + command.getRequestId() + " within 10 ms",
                    null);
        });
        JsonNode problem = problem(send("POST", "/v1/pipelines",
                "{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"o\"}"), 503);
        assertThat(problem.path("detail").asText()).contains("no reply to CREATE request");
    }

    @Test
    void bodiesOverTheLimitAre413WithOrWithoutContentLength() throws Exception {
        String big = "{\"network\":\"layer1\",\"register\":\"event_log\",\"owner\":\"" + "o".repeat(MAX_BYTES) + "\"}";
        problem(send("POST", "/v1/pipelines", big), 413);
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.url() + "/v1/pipelines"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
        problem(http.send(chunked, HttpResponse.BodyHandlers.ofString()), 413);
        assertThat(gateway.sent()).isEmpty();
    }

    @Test
    void aConfiguredTokenIsRequiredOnTheApiButNotOnProbes() throws Exception {
        server.close();
        server = start(Optional.of("s3cret-token-0123456789"));
        problem(send("GET", "/v1/pipelines", null), 401);
        HttpRequest wrong = HttpRequest.newBuilder(URI.create(server.url() + "/v1/pipelines"))
                .header("Authorization", "Bearer nope").build();
        problem(http.send(wrong, HttpResponse.BodyHandlers.ofString()), 401);
        HttpRequest right = HttpRequest.newBuilder(URI.create(server.url() + "/v1/pipelines"))
                .header("Authorization", "Bearer s3cret-token-0123456789").build();
        assertThat(http.send(right, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/health", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/ready", null).statusCode()).isEqualTo(200);
        problem(send("GET", "/metrics", null), 401);
    }

    @Test
    void registersAreListed() throws Exception {
        JsonNode registers = json.readTree(send("GET", "/v1/registers", null).body());
        assertThat(registers).extracting(r -> r.path("name").asText())
                .containsExactly("account_balance", "geth_block", "event_log", "l1_l2_block_sync",
                        "contract_create_tx");
        assertThat(registers.get(2).path("addressable").asBoolean()).isTrue();
        assertThat(registers.get(2).path("dependencies").get(0).asText()).isEqualTo("geth_block");
        assertThat(registers).extracting(r -> r.path("pipeline").asBoolean()).as("every standard register is a pipeline")
                .containsExactly(true, true, true, true, true);
        assertThat(registers).extracting(r -> r.path("matchesEvents").asBoolean())
                .containsExactly(false, false, true, false, false);
        assertThat(registers.get(3).path("componentType").asText()).isEqualTo("aggregator");
        assertThat(registers.get(3).path("addressable").asBoolean()).isFalse();
        assertThat(registers.get(3).path("dependencies")).extracting(JsonNode::asText)
                .containsExactly("geth_block@layer1", "geth_block@layer2");
    }

    @Test
    void aRegisterWithoutAnImplementationHereIsListedAsNoPipeline() throws Exception {
        server.close();
        server = start(Optional.empty(), new RecordingBranches(ComponentCatalog.of(List.of(new EventLogPipeFactory()))));

        JsonNode registers = json.readTree(send("GET", "/v1/registers", null).body());
        assertThat(registers).extracting(r -> r.path("name").asText(), r -> r.path("pipeline").asBoolean())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("account_balance", false),
                        org.assertj.core.groups.Tuple.tuple("geth_block", false),
                        org.assertj.core.groups.Tuple.tuple("event_log", true),
                        org.assertj.core.groups.Tuple.tuple("l1_l2_block_sync", false),
                        org.assertj.core.groups.Tuple.tuple("contract_create_tx", false));
    }
}
