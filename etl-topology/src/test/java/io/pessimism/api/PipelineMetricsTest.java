package io.pessimism.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.control.PipelineCatalogue;
import io.pessimism.avro.OracleHealth;
import io.pessimism.component.ComponentGraph;
import io.pessimism.pipeline.Branches;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.TestPipelines;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pipelines' metrics on /metrics, with the original's names, following the pipelines known here. */
class PipelineMetricsTest {

    private static final Registry REGISTRY = Registry.standard();
    private static final TopicNames NAMES = new TopicNames("m");

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineCatalogue catalogue = new PipelineCatalogue();
    private final BranchCounters counters = new BranchCounters();
    /** A runtime whose every branch has done what {@link #counters} says. */
    private final Branches branches = new Branches() {
        @Override
        public void apply(PipelineSpec spec) {
        }

        @Override
        public Optional<String> cannotCompute(ComponentGraph graph) {
            return Optional.empty();
        }

        @Override
        public void sourceChanged(OracleHealth health) {
        }

        @Override
        public Optional<BranchCounters> counters(PipelineSpec spec) {
            return Optional.of(counters);
        }

        @Override
        public Optional<PipelineStatus> status(String puuid) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };
    private final PipelineMetrics metrics = new PipelineMetrics(prometheus, catalogue, branches);

    @Test
    void activePipelinesAreCountedByTypeNetworkAndRegisterAndEachRunningPipelineHasItsMeters() {
        PipelineSpec live = TestPipelines.live(REGISTRY, NAMES, "event_log", Network.LAYER1, null);
        PipelineSpec other = TestPipelines.live(REGISTRY, NAMES, "event_log", Network.LAYER1, 5L);
        PipelineSpec backtest = TestPipelines.backtest(REGISTRY, NAMES, "geth_block", Network.LAYER2, 1, 9);
        catalogue.update(live);
        catalogue.update(other);
        catalogue.update(backtest);
        catalogue.update(PipelineStatus.newBuilder().setPuuid(live.getPuuid()).setState(PipelineState.LIVE)
                .setHeight(41L).setHeadHeight(43L).setLag(2L).setUpdatedAt(1L).build());
        counters.block(10);
        counters.block(13); // 11 and 12 skipped
        counters.latency(1_500);

        metrics.refresh();
        String scrape = prometheus.scrape();

        assertThat(scrape).contains(
                "pessimism_etl_active_pipelines{network=\"layer1\",pipeline=\"live\",register=\"event_log\"} 2.0",
                "pessimism_etl_active_pipelines{network=\"layer2\",pipeline=\"backtest\",register=\"geth_block\"} 1.0",
                "pessimism_missed_blocks_total{puuid=\"" + live.getPuuid() + "\"} 2.0",
                "pessimism_pipeline_latency_seconds{puuid=\"" + live.getPuuid() + "\"} 1.5",
                "pessimism_pipeline_dead_letters_total{puuid=\"" + backtest.getPuuid() + "\"} 0.0",
                "pessimism_pipeline_height{puuid=\"" + live.getPuuid() + "\"} 41.0",
                "pessimism_pipeline_lag{puuid=\"" + live.getPuuid() + "\"} 2.0");

        catalogue.update(TestPipelines.withState(other, DesiredState.STOPPED));
        catalogue.forget(backtest.getPuuid());
        metrics.refresh();
        String after = prometheus.scrape();

        assertThat(after).contains(
                "pessimism_etl_active_pipelines{network=\"layer1\",pipeline=\"live\",register=\"event_log\"} 1.0")
                .doesNotContain("register=\"geth_block\"")
                .as("a stopped or removed pipeline's meters go").doesNotContain(other.getPuuid(), backtest.getPuuid())
                .contains("pessimism_missed_blocks_total{puuid=\"" + live.getPuuid() + "\"}");
    }

    @Test
    void aPipelineInErrorShowsAsOneUntilItReportsAnotherState() {
        PipelineSpec live = TestPipelines.live(REGISTRY, NAMES, "event_log", Network.LAYER1, null);
        catalogue.update(live);
        String error = "pessimism_pipeline_error{puuid=\"" + live.getPuuid() + "\"}";

        metrics.refresh();
        assertThat(prometheus.scrape()).as("no status yet").contains(error + " 0.0");

        catalogue.update(PipelineStatus.newBuilder().setPuuid(live.getPuuid()).setState(PipelineState.ERROR)
                .setReason("node unreachable").setUpdatedAt(2L).build());
        assertThat(prometheus.scrape()).contains(error + " 1.0");

        catalogue.update(PipelineStatus.newBuilder().setPuuid(live.getPuuid()).setState(PipelineState.LIVE)
                .setHeight(7L).setUpdatedAt(3L).build());
        assertThat(prometheus.scrape()).as("recovered").contains(error + " 0.0");
    }

    @Test
    void aBranchCountsTheHeightsItsBlockTopicSkippedAndStartsOverAfterAReorg() {
        BranchCounters branch = new BranchCounters();
        branch.block(5);
        branch.block(6);
        branch.block(4); // the new chain after retractions of 4..6
        branch.block(5);
        assertThat(branch.missedBlocks()).isZero();
        branch.block(9);
        assertThat(branch.missedBlocks()).isEqualTo(3);
    }
}
