package io.pessimism.client;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * {@code pessimism bench create}: many create requests over a few distinct PipelinePIDs, through
 * the REST API, timing each request. Every request after a PID's first reuses its pipeline, so the
 * run measures the control plane's round trip (validate → command → single writer → reply).
 *
 * <pre>{@code
 * // the service must know the registers of the requests: CreateBench.benchRegistry()
 * var requests = CreateBench.distinctLiveRequests(CreateBench.benchRegistry(), 10);
 * CreateBench.Result result = CreateBench.run(client, requests, 1_000, 8);
 * System.out.println(result.report());
 * }</pre>
 */
public final class CreateBench {

    /** The outcome of one run; latencies are per request, as the client saw them. */
    public record Result(int requests, int concurrency, int distinctPipelines, int created, int reused,
            Duration p50, Duration p99, Duration max, Duration wall) {

        /** One paragraph of figures. */
        public String report() {
            return String.format("create bench: %d requests (concurrency %d) -> %d pipelines (%d created, %d reused)%n"
                            + "  per request: p50 %.2f ms, p99 %.2f ms, max %.2f ms (target p99 <= 50 ms)%n"
                            + "  wall %.2f s, %.0f requests/s",
                    requests, concurrency, distinctPipelines, created, reused, millis(p50), millis(p99), millis(max),
                    wall.toNanos() / 1e9, requests / Math.max(wall.toNanos() / 1e9, 1e-9));
        }

        private static double millis(Duration d) {
            return d.toNanos() / 1e6;
        }
    }

    private CreateBench() {
    }

    /**
     * The standard registry plus two pipes over {@code geth_block} that exist only for this bench:
     * five registers on two networks give ten distinct live PipelinePIDs.
     */
    public static Registry benchRegistry() {
        Registry registry = Registry.standard();
        registry.registerAll(List.of(
                Register.pipe("bench_pipe_a", 100, Block.class).dependsOn("geth_block")
                        .description("bench only: blocks passed through").build(),
                Register.pipe("bench_pipe_b", 101, Block.class).dependsOn("geth_block")
                        .description("bench only: blocks passed through").build()));
        return registry;
    }

    /** {@code count} live requests with distinct PipelinePIDs: every register on every network, in id order. */
    public static List<CreatePipelineRequest> distinctLiveRequests(Registry registry, int count) {
        List<CreatePipelineRequest> requests = new ArrayList<>();
        for (Register register : registry.all()) {
            for (Network network : Network.values()) {
                requests.add(new CreatePipelineRequest(network.label(), "live", register.name(), null, null,
                        "bench", List.of()));
            }
        }
        if (requests.size() < count) {
            throw new IllegalArgumentException("the registry offers " + requests.size()
                    + " distinct live pipelines (registers " + registry.names() + " x " + Arrays.toString(Network.values())
                    + "), fewer than the " + count + " asked for; use CreateBench.benchRegistry()");
        }
        return List.copyOf(requests.subList(0, count));
    }

    /**
     * Sends {@code total} creates, cycling through {@code distinct}, from {@code concurrency}
     * threads (20 owners take turns, so most requests are pure reuses).
     */
    public static Result run(PessimismClient client, List<CreatePipelineRequest> distinct, int total, int concurrency) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<Timed>> futures = new ArrayList<>(total);
        long started = System.nanoTime();
        try {
            for (int i = 0; i < total; i++) {
                CreatePipelineRequest template = distinct.get(i % distinct.size());
                CreatePipelineRequest request = new CreatePipelineRequest(template.network(), template.type(),
                        template.register(), template.startHeight(), template.endHeight(), "bench-" + (i % 20),
                        template.interests());
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    PipelineCreated created = client.createPipeline(request);
                    return new Timed(created, System.nanoTime() - t0);
                }));
            }
            List<Timed> results = new ArrayList<>(total);
            for (Future<Timed> future : futures) {
                results.add(future.get());
            }
            Duration wall = Duration.ofNanos(System.nanoTime() - started);
            long[] nanos = results.stream().mapToLong(Timed::nanos).sorted().toArray();
            Set<String> puuids = results.stream().map(t -> t.created().puuid()).collect(Collectors.toSet());
            int created = (int) results.stream().filter(t -> !t.created().reused()).count();
            return new Result(total, concurrency, puuids.size(), created, total - created, percentile(nanos, 0.50),
                    percentile(nanos, 0.99), Duration.ofNanos(nanos[nanos.length - 1]), wall);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a create request of the bench failed: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the create bench was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private record Timed(PipelineCreated created, long nanos) {
    }

    // Nearest-rank percentile of sorted values.
    private static Duration percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }
}
