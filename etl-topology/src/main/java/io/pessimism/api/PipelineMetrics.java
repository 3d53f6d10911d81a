package io.pessimism.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.control.PipelineCatalogue;
import io.pessimism.pipeline.Branches;
import io.pessimism.topology.BranchCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The pipelines' metrics with the original's names, kept in step with the pipelines known here by
 * {@link #refresh()}: {@code pessimism_etl_active_pipelines{pipeline,network,register}} (running or
 * paused, by pipeline type), and per running pipeline ({@code puuid}):
 * {@code pessimism_pipeline_latency_seconds} (how long after its oracle produced it the branch
 * processed its last trigger record), {@code pessimism_missed_blocks_total} (heights its block
 * topic skipped), {@code pessimism_pipeline_dead_letters_total} (records sent to its {@code .dlq}),
 * {@code pessimism_pipeline_height}, {@code pessimism_pipeline_lag} and {@code pessimism_pipeline_error} (1 while
 * its last reported state is ERROR). A branch's counters start
 * over when it restarts (Prometheus reads that as a counter reset).
 */
public final class PipelineMetrics {

    private final MeterRegistry registry;
    private final PipelineCatalogue catalogue;
    private final Branches branches;
    private final MultiGauge active;
    private final Map<String, List<Meter>> perPipeline = new HashMap<>();

    public PipelineMetrics(MeterRegistry registry, PipelineCatalogue catalogue, Branches branches) {
        this.registry = registry;
        this.catalogue = catalogue;
        this.branches = branches;
        this.active = MultiGauge.builder("pessimism.etl.active.pipelines")
                .description("Pipelines running or paused, by pipeline type, network and register").register(registry);
    }

    /** Registers the meters of pipelines that appeared, removes those of pipelines gone or stopped. */
    public synchronized void refresh() {
        List<PipelineSpec> running = catalogue.specs().stream().filter(PipelineMetrics::running).toList();
        Map<List<String>, Long> counts = running.stream().collect(Collectors.groupingBy(
                s -> List.of(s.getType().name().toLowerCase(), s.getNetwork(), s.getRegister()), Collectors.counting()));
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        counts.forEach((key, count) -> rows.add(MultiGauge.Row.of(
                Tags.of("pipeline", key.get(0), "network", key.get(1), "register", key.get(2)), count)));
        active.register(rows, true);

        Map<String, PipelineSpec> now = new HashMap<>();
        running.forEach(spec -> now.put(spec.getPuuid(), spec));
        perPipeline.keySet().removeIf(puuid -> {
            if (now.containsKey(puuid)) {
                return false;
            }
            perPipeline.get(puuid).forEach(registry::remove);
            return true;
        });
        now.forEach((puuid, spec) -> perPipeline.computeIfAbsent(puuid, p -> meters(spec)));
    }

    private static boolean running(PipelineSpec spec) {
        return spec.getDesiredState() == DesiredState.RUNNING || spec.getDesiredState() == DesiredState.PAUSED;
    }

    private List<Meter> meters(PipelineSpec spec) {
        Tags tags = Tags.of("puuid", spec.getPuuid());
        return List.of(
                Gauge.builder("pessimism.pipeline.latency", spec, counter(c -> c.latencyMillis().orElse(0) / 1000.0))
                        .description("How long after its oracle produced it the last trigger record was processed")
                        .baseUnit("seconds").tags(tags).register(registry),
                FunctionCounter.builder("pessimism.missed.blocks", spec, counter(BranchCounters::missedBlocks))
                        .description("Heights the trigger's block topic skipped").tags(tags).register(registry),
                FunctionCounter.builder("pessimism.pipeline.dead.letters", spec, counter(BranchCounters::deadLetters))
                        .description("Records sent to the pipeline's .dlq").tags(tags).register(registry),
                Gauge.builder("pessimism.pipeline.height", spec, status(PipelineStatus::getHeight))
                        .description("The last block the pipeline has emitted through").tags(tags).register(registry),
                Gauge.builder("pessimism.pipeline.lag", spec, status(PipelineStatus::getLag))
                        .description("Blocks behind its source's head").tags(tags).register(registry),
                // the state as a number an alert can test; the reason is in the pipeline's status (API, CLI)
                Gauge.builder("pessimism.pipeline.error", spec, s -> catalogue.status(s.getPuuid())
                                .map(status -> status.getState() == PipelineState.ERROR ? 1.0 : 0.0).orElse(0.0))
                        .description("1 while the pipeline's last reported state is ERROR (it retries with backoff)")
                        .tags(tags).register(registry));
    }

    /** A value of the branch's counters; 0 while its branch does not run here. */
    private ToDoubleFunction<PipelineSpec> counter(ToDoubleFunction<BranchCounters> read) {
        return spec -> branches.counters(spec).map(read::applyAsDouble).orElse(0.0);
    }

    /** A value of the pipeline's last status; NaN (no sample) before it has one. */
    private ToDoubleFunction<PipelineSpec> status(Function<PipelineStatus, Long> read) {
        return spec -> catalogue.status(spec.getPuuid()).map(read).map(Long::doubleValue).orElse(Double.NaN);
    }
}
