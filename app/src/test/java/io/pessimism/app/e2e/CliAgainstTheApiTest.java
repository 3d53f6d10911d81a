package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.topic.TopicNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pipelines}, {@code addresses} and {@code registers} commands as a user runs them
 * against a real ETL service: JSON answers on stdout, problems naming the field on stderr with
 * exit code 2.
 */
class CliAgainstTheApiTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final String CONTRACT = "0x00000000000000000000000000000000000000c1";

    @TempDir
    static Path stateRoot;

    private static EmbeddedSchemaRegistry schemaRegistry;
    private static EtlStack stack;
    private static String api;

    @BeforeAll
    static void start() {
        schemaRegistry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("cli-registry").schemas()).port(0).replicationFactor(1).build().start();
        stack = EtlStack.start("cli", new EtlStack.Endpoints(KAFKA.bootstrapServers(), schemaRegistry.url(),
                ANVIL.httpUrl(), ANVIL.wsUrl()), stateRoot);
        api = stack.startEtl("a").apiUrl();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
        if (schemaRegistry != null) {
            schemaRegistry.close();
        }
    }

    @Test
    void aUserCreatesWatchesListsAndRemovesAPipelineFromTheShell() throws Exception {
        Cli.Run created = run("pipelines", "create", "--network", "layer1", "--register", "event_log", "--owner", "alice",
                "--watch", CONTRACT.toUpperCase().replace("0X", "0x") + "=Ping(address,uint256)");
        assertThat(created.code()).as(created.err()).isZero();
        String puuid = created.json().path("puuid").asText();
        assertThat(puuid).startsWith("live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block:::");
        assertThat(created.json().path("reused").asBoolean()).isFalse();
        assertThat(run("pipelines", "create", "--network", "layer1", "--register", "event_log", "--owner", "bob")
                .json().path("puuid").asText()).as("the identical pipeline is reused").isEqualTo(puuid);

        Cli.Run added = run("addresses", "add", puuid, CONTRACT, "--owner", "bob", "--signature",
                "Transfer(address,address,uint256)");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.json().path("address").asText()).isEqualTo(CONTRACT);
        assertThat(added.json().path("effectiveFrom").asLong()).isPositive();

        Cli.Run listed = run("pipelines", "list");
        assertThat(listed.json()).singleElement().satisfies(p -> {
            assertThat(p.path("puuid").asText()).isEqualTo(puuid);
            assertThat(p.path("owners").toString()).isEqualTo("[\"alice\",\"bob\"]");
        });
        assertThat(run("pipelines", "show", puuid).json().path("topic").asText())
                .isEqualTo("cli.live.layer1-event_log.layer1-geth_block.out");
        List<String> registers = new ArrayList<>();
        run("registers").json().forEach(r -> registers.add(r.path("name").asText() + ":" + r.path("pipeline")));
        assertThat(registers).containsExactly("account_balance:true", "geth_block:true", "event_log:true",
                "l1_l2_block_sync:true", "contract_create_tx:true");

        Cli.Run drawn = run("graph", "--active");
        assertThat(drawn.code()).as(drawn.err()).isZero();
        assertThat(drawn.out()).startsWith("graph LR;").contains(
                "subgraph b0[\"live event_log on layer1: cli.live.layer1-event_log.layer1-geth_block (1 pipeline)\"]",
                "b0_n0[(\"cli.layer1.geth_block\")];", "b0_out[(\"cli.live.layer1-event_log.layer1-geth_block.out\")];");
        Cli.Run described = run("graph", "--active", "--format", "json");
        assertThat(described.json().path("branches").get(0).path("topology").asText())
                .as("the branch's generated topology, as Kafka Streams describes it")
                .contains("Sink: out (topic: cli.live.layer1-event_log.layer1-geth_block.out)");
        assertThat(run("graph", "--active", "--format", "svg").code()).as("an unknown format").isEqualTo(2);

        Cli.Run removed = run("pipelines", "remove", puuid);
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(removed.json().path("desiredState").asText()).isEqualTo("removed");
    }

    @Test
    void anAccountBalanceInterestIsAnAddressWithoutSignatures() throws Exception {
        Cli.Run created = run("pipelines", "create", "--network", "layer1", "--register", "account_balance",
                "--owner", "dave", "--watch", CONTRACT);
        assertThat(created.code()).as(created.err()).isZero();
        String puuid = created.json().path("puuid").asText();
        assertThat(puuid).startsWith("live::layer1:live:oracle:account_balance::layer1:live:oracle:account_balance:::");
        assertThat(created.json().path("topic").asText())
                .isEqualTo("cli.live.layer1-account_balance.layer1-account_balance.out");

        Cli.Run added = run("addresses", "add", puuid, "0x00000000000000000000000000000000000000c2", "--owner", "erin");
        assertThat(added.code()).as(added.err()).isZero();
        assertThat(added.json().path("signatures").size()).isZero();

        Cli.Run refused = run("addresses", "add", puuid, CONTRACT, "--owner", "erin", "--signature", "Ping()");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("watches addresses, not events").contains("(field signatures)");
        assertThat(run("pipelines", "remove", puuid).code()).isZero();
    }

    @Test
    void aRefusedRequestPrintsTheProblemNamingTheFieldAndExitsTwo() {
        Cli.Run refused = run("pipelines", "create", "--network", "layer1", "--register", "event_log", "--owner", "carol",
                "--watch", CONTRACT + "=Transfer(address, address, uint256)");

        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.err()).startsWith("pessimism pipelines create: 400 ")
                .contains("(field interests[0].signatures[0])");
        assertThat(run("pipelines", "show", "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block:::"
                + "00000000-0000-0000-0000-000000000000").code()).as("unknown PUUID").isEqualTo(2);
    }

    private static Cli.Run run(String... args) {
        return Cli.run(api, args);
    }
}
