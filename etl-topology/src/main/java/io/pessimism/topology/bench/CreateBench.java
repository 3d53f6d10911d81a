package io.pessimism.topology.bench;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.avro.Block;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import io.pessimism.component.ComponentType;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import io.pessimism.topology.ComponentCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code pessimism bench create}: many create requests over a few distinct PipelinePIDs, through
 * the REST API, timing each request. Every request after a PID's first reuses its pipeline, so the
 * run measures the control plane's round trip (validate → command → single writer → reply).
 *
 * <pre>{@code
 * // the service must know and implement the registers of the requests: benchRegistry(), benchCatalog()
 * var requests = CreateBench.distinctLiveRequests(CreateBench.benchRegistry(), CreateBench.benchCatalog(), 10);
 * CreateBench.Result result = CreateBench.run(client, requests, 1_000, 8);
 * System.out.println(result.report());
 * }</pre>
 */
public final class CreateBench {

    static final int BENCH_PIPES = 4;
    private static final int SLOWEST_SHOWN = 12;

    /**
     * The outcome of one run; latencies are per request, as the client saw them.
     *
     * @param p50      median of all requests
     * @param p99      99th percentile of all requests
     * @param p999     99.9th percentile of all requests (the 999th of 1,000 requests)
     * @param max      the slowest request
     * @param creates  the latencies of the requests that created a pipeline (not reused), in sending order:
     *                 the real creates, whose branch starts in the background, on their own
     */
    public record Result(int requests, int concurrency, int warmUps, int distinctPipelines, int created, int reused,
            Duration p50, Duration p99, Duration p999, Duration max, List<Duration> creates, Duration wall,
            List<Slow> slowest) {

        public Result {
            creates = List.copyOf(creates);
            slowest = List.copyOf(slowest);
        }

        /** One paragraph of figures. */
        public String report() {
            long[] creating = creates.stream().mapToLong(Duration::toNanos).sorted().toArray();
            return String.format("create bench: %d requests (concurrency %d, after %d warm-up round trips that create "
                            + "nothing) -> %d pipelines (%d created, %d reused)%n"
                            + "  per request: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (target p99 <= 50 ms)%n"
                            + "  the %d real creates on their own: %s ms (median %.2f ms, max %.2f ms)%n"
                            + "  slowest (request number: ms): %s%n"
                            + "  wall %.2f s, %.0f requests/s",
                    requests, concurrency, warmUps, distinctPipelines, created, reused, millis(p50), millis(p99),
                    millis(p999), millis(max), creates.size(),
                    creates.stream().map(d -> String.format("%.0f", millis(d))).collect(Collectors.joining(", ")),
                    creating.length == 0 ? 0 : millis(percentile(creating, 0.5)),
                    creating.length == 0 ? 0 : creating[creating.length - 1] / 1e6,
                    slowest.stream().map(s -> String.format("#%d: %.0f", s.request(), millis(s.latency())))
                            .collect(Collectors.joining(", ")),
                    wall.toNanos() / 1e9, requests / Math.max(wall.toNanos() / 1e9, 1e-9));
        }

        private static double millis(Duration d) {
            return d.toNanos() / 1e6;
        }
    }

    private CreateBench() {
    }

    /**
     * The standard registry plus {@value #BENCH_PIPES} pipes over {@code geth_block} that exist only
     * for this bench: with event_log, five computed registers on two networks give ten distinct
     * live PipelinePIDs.
     */
    public static Registry benchRegistry() {
        Registry registry = Registry.standard();
        for (int i = 0; i < BENCH_PIPES; i++) {
            registry.register(Register.pipe(benchPipe(i), 100 + i, Block.class).dependsOn("geth_block")
                    .description("bench only: blocks passed through").build());
        }
        return registry;
    }

    /** The standard catalogue plus the bench pipes' processor, so every bench pipeline runs a real branch. */
    public static ComponentCatalog benchCatalog() {
        ComponentCatalog catalog = ComponentCatalog.standard();
        for (int i = 0; i < BENCH_PIPES; i++) {
            catalog = catalog.with(new BlockRelayFactory(benchPipe(i)));
        }
        return catalog;
    }

    private static String benchPipe(int i) {
        return "bench_pipe_" + (char) ('a' + i);
    }

    /**
     * {@code count} live requests with distinct PipelinePIDs: every pipe {@code catalog} implements,
     * on every network, in id order. The oracles' own registers, pipelines too, and the aggregators
     * (l1_l2_block_sync, added after the figures) are left out so the bench's mix stays the one its
     * published figures were measured with.
     */
    public static List<CreatePipelineRequest> distinctLiveRequests(Registry registry, ComponentCatalog catalog,
            int count) {
        List<CreatePipelineRequest> requests = new ArrayList<>();
        for (Register register : registry.all()) {
            if (register.componentType() != ComponentType.PIPE || catalog.find(register.name()).isEmpty()) {
                continue;
            }
            for (Network network : Network.values()) {
                requests.add(new CreatePipelineRequest(network.label(), "live", register.name(), null, null,
                        "bench", List.of()));
            }
        }
        if (requests.size() < count) {
            throw new IllegalArgumentException("the registry offers " + requests.size()
                    + " distinct live pipelines (implemented pipes of " + catalog.registers() + " x "
                    + Arrays.toString(Network.values()) + "), fewer than the " + count
                    + " asked for; use CreateBench.benchRegistry() and benchCatalog()");
        }
        return List.copyOf(requests.subList(0, count));
    }

    /**
     * Warms the request path up, then sends {@code total} creates, cycling through {@code distinct},
     * from {@code concurrency} threads (20 owners take turns, so most requests are pure reuses).
     *
     * <p>The warm-up is {@code warmUps} pauses of a pipeline that does not exist: each one makes
     * the whole round trip (REST, validation, the command, the single writer's transaction, the
     * reply) and is refused with a 404, so the JIT and the clients' connections are warm while
     * nothing is created. Every create, and every branch start, stays in the timed part.
     */
    public static Result run(PessimismClient client, Registry registry, List<CreatePipelineRequest> distinct,
            int total, int concurrency, int warmUps) {
        warmUp(client, unknownPipeline(registry, distinct.get(0)), warmUps);
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
            // where in the run the tail sits tells a start-up cost from a steady one
            List<Slow> slowest = IntStream.range(0, total).boxed()
                    .sorted(Comparator.comparingLong((Integer i) -> results.get(i).nanos()).reversed())
                    .limit(SLOWEST_SHOWN)
                    .map(i -> new Slow(i, Duration.ofNanos(results.get(i).nanos())))
                    .toList();
            List<Duration> creates = results.stream().filter(t -> !t.created().reused())
                    .map(t -> Duration.ofNanos(t.nanos())).toList();
            return new Result(total, concurrency, warmUps, puuids.size(), created, total - created,
                    percentile(nanos, 0.50), percentile(nanos, 0.99), percentile(nanos, 0.999),
                    Duration.ofNanos(nanos[nanos.length - 1]), creates, wall, slowest);
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

    private static void warmUp(PessimismClient client, String unknownPuuid, int rounds) {
        for (int i = 0; i < rounds; i++) {
            try {
                client.pausePipeline(unknownPuuid);
                throw new IllegalStateException("warm-up: pausing " + unknownPuuid
                        + " succeeded; the bench expects that pipeline not to exist");
            } catch (PessimismApiException e) {
                if (e.status() != 404) {
                    throw new IllegalStateException("warm-up: pausing an unknown pipeline answered " + e.getMessage()
                            + "; expected 404", e);
                }
            }
        }
    }

    // A well-formed PUUID of the first request's PID that no create gives (its UUID is random).
    private static String unknownPipeline(Registry registry, CreatePipelineRequest request) {
        PipelineType type = PipelineType.parse(request.type());
        return PUUID.random(PipelinePID.of(type, registry.resolve(request.register(),
                Network.parse(request.network())))).toString();
    }

    /** One of the slowest requests: its number in sending order (from 0) and its latency. */
    public record Slow(int request, Duration latency) {
    }

    private record Timed(PipelineCreated created, long nanos) {
    }

    // Nearest-rank percentile of sorted values.
    private static Duration percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return Duration.ofNanos(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }
}
