package io.pessimism.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.CreatePipelineRequest.Interest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.app.service.OracleMetrics;
import io.pessimism.avro.AccountBalanceOutput;
import io.pessimism.client.PessimismClient;
import io.pessimism.oracle.rpc.NodeMeters;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.rpc.NodeFault;
import io.pessimism.testkit.rpc.RpcFaultProxy;
import io.pessimism.topic.TopicNames;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node-error budget end to end: the oracles read the node through an {@link RpcFaultProxy}
 * answering every call 503; once the node has failed for longer than {@code oracles.node-error-budget}
 * the pipelines fed by its oracles (a {@code geth_block} and an {@code account_balance} one) show
 * ERROR with a reason naming the node, the errors counted in {@code pessimism_node_errors_total};
 * with the node answering again they return to LIVE by themselves, and a balance changed during the
 * outage is delivered as the node has it.
 */
class NodeErrorBudgetAcceptanceTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension ANVIL = AnvilExtension.create();

    private static final Duration BUDGET = Duration.ofSeconds(2);
    /** Up to: the branch starting, blocks through both oracles; or the budget, the oracle's backoff and a status. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String WATCHED = "0xb000000000000000000000000000000000000b01";

    @TempDir
    Path stateRoot;

    @Test
    void pipelinesShowErrorNamingTheNodeOnceItFailsBeyondTheBudgetAndRecoverWithIt() {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().bootstrapServers(KAFKA.bootstrapServers())
                .storeTopic(new TopicNames("budget-registry").schemas()).port(0).replicationFactor(1).build().start();
             ChainDriver chain = ChainDriver.connect(ANVIL.httpUrl()); // straight to anvil: never faulted
             NodeReads node = new NodeReads(ANVIL.httpUrl());
             RpcFaultProxy proxy = RpcFaultProxy.start(ANVIL.httpUrl());
             EtlStack stack = EtlStack.start("budget", new EtlStack.Endpoints(KAFKA.bootstrapServers(), registry.url(),
                     proxy.url(), ANVIL.wsUrl()), stateRoot, Map.of("oracles.node-error-budget", "2s"))) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            OracleMetrics.bind(meters, stack.oracles(), network -> proxy.url());
            PessimismClient client = PessimismClient.create(stack.startEtl("a").apiUrl(), Optional.empty());
            PipelineCreated blocks = client.createPipeline(new CreatePipelineRequest("layer1", "live", "geth_block",
                    null, null, "owner-b", List.of()));
            PipelineCreated balances = client.createPipeline(new CreatePipelineRequest("layer1", "live",
                    "account_balance", null, null, "owner-b", List.of(new Interest(WATCHED, null))));
            stack.awaitOraclesLive(WAIT);
            chain.mine(1);
            List<PipelineCreated> pipelines = List.of(blocks, balances);
            awaitState(client, pipelines, "live", "before any fault");

            proxy.on(NodeFault.HTTP_5XX);
            long down = System.nanoTime();
            long moved = chain.transfer(WATCHED, BigInteger.TEN.pow(18)).getBlockNumber().longValueExact();
            List<PipelineView> failed = awaitState(client, pipelines, "error", "with the node failing every call");
            Duration toError = Duration.ofNanos(System.nanoTime() - down);
            String nodeName = NodeMeters.label(proxy.url());
            assertThat(toError).as("not before the budget").isGreaterThanOrEqualTo(BUDGET);
            assertThat(failed).extracting(p -> p.status().reason()).allSatisfy(reason -> assertThat(reason)
                    .contains("is NODE_FAILING", "node " + nodeName + " has failed every call for",
                            "beyond oracles.node-error-budget 2s", "503"));
            assertThat(failed.get(0).status().reason()).contains("source oracle geth_block on layer1");
            assertThat(failed.get(1).status().reason()).contains("on layer1");
            assertThat(proxy.fired(NodeFault.HTTP_5XX)).as("503s answered").isPositive();
            for (String register : List.of("geth_block", "account_balance")) {
                FunctionCounter errors = meters.find("pessimism.node.errors").tags("register", register, "node", nodeName)
                        .functionCounter();
                assertThat(errors).as("pessimism_node_errors_total of %s", register).isNotNull();
                assertThat(errors.count()).as("node errors of %s", register).isGreaterThanOrEqualTo(2);
            }

            proxy.off(NodeFault.HTTP_5XX);
            List<PipelineView> recovered = awaitState(client, pipelines, "live", "once the node answers again");
            assertThat(recovered).extracting(p -> p.status().reason()).allSatisfy(reason ->
                    assertThat(reason).as("no reason left").satisfiesAnyOf(r -> assertThat(r).isNull(),
                            r -> assertThat(r).doesNotContain("NODE_FAILING")));
            String hash = node.hashAt(moved);
            List<AccountBalanceOutput> out = new OutTopicReader<>(KAFKA.bootstrapServers(), registry.url(),
                    AccountBalanceOutput.class).awaitRecord(balances.topic(), "the balance moved during the outage, "
                    + "at block " + moved, r -> r.getValue().getBlockHash().equals(hash), WAIT);
            assertThat(new BigInteger(out.get(out.size() - 1).getValue().getBalance()))
                    .isEqualTo(node.balanceAt(WATCHED, hash));
        }
    }

    /** Waits until every pipeline's status is {@code state}; their views, in order. */
    private static List<PipelineView> awaitState(PessimismClient client, List<PipelineCreated> pipelines, String state,
                                                 String when) {
        return await("the pipelines are " + state + " " + when).atMost(WAIT)
                .until(() -> pipelines.stream().map(p -> client.showPipeline(p.puuid())).toList(),
                        views -> views.stream().allMatch(v -> v.status() != null && v.status().state().equals(state)));
    }
}
