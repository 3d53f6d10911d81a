package io.pessimism.topology.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.api.EtlService;
import io.pessimism.client.PessimismClient;
import io.pessimism.config.PessimismConfig;
import io.pessimism.control.RecordingBranches;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topology.ComponentCatalog;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The create bench helper against the real service: its requests give exactly the pipelines it
 * claims. Not a timed test: the figures are printed, never asserted. {@code -Dpessimism.bench.requests=1000}
 * runs the full bench.
 */
class CreateBenchTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @TempDir
    Path stateDir;

    @Test
    void manyCreatesOverTenPidsGiveTenPipelines() {
        int requests = Integer.getInteger("pessimism.bench.requests", 200);
        Registry registry = CreateBench.benchRegistry();
        PessimismConfig config = PessimismConfig.defaults(Map.of("namespace", "bench",
                "kafka.bootstrap.servers", KAFKA.bootstrapServers(), "api.port", "0",
                "api.rate-limit", "0", // the bench measures the service, not the per-client limiter
                "state.dir", stateDir.toString()));
        RecordingBranches branches = new RecordingBranches(CreateBench.benchCatalog());
        try (EtlService service = new EtlService(config, InProcessSchemaRegistry.inMemory(), branches, registry,
                EtlService.Options.defaults()).start()) {
            PessimismClient client = PessimismClient.create(service.apiUrl(), Optional.empty());

            CreateBench.Result result = CreateBench.run(client, registry,
                    CreateBench.distinctLiveRequests(registry, CreateBench.benchCatalog(), 10), requests,
                    Integer.getInteger("pessimism.bench.concurrency", 8), 20);

            System.out.println(result.report());
            assertThat(result.requests()).isEqualTo(requests);
            assertThat(result.distinctPipelines()).isEqualTo(10);
            assertThat(result.created()).isEqualTo(10);
            assertThat(result.reused()).isEqualTo(requests - 10);
            assertThat(client.listPipelines()).as("the warm-up created nothing").hasSize(10);
            assertThat(result.p50()).isLessThanOrEqualTo(result.p99()).isPositive();
            assertThat(result.p999()).isBetween(result.p99(), result.max());
            assertThat(result.creates()).as("the real creates, on their own").hasSize(10)
                    .allMatch(d -> d.compareTo(result.max()) <= 0);
            assertThat(result.report()).contains("p99.9").contains("the 10 real creates on their own");
            assertThat(result.wall()).isGreaterThan(Duration.ZERO);
        }
    }

    @Test
    void aRegistryWithTooFewRegistersIsRefusedNamingTheRemedy() {
        assertThatThrownBy(() -> CreateBench.distinctLiveRequests(Registry.standard(), ComponentCatalog.standard(), 10))
                .hasMessageMatching("the registry offers \\d+ distinct live pipelines .*, fewer than the 10 asked for; .*")
                .hasMessageContaining("benchRegistry()");
    }
}
