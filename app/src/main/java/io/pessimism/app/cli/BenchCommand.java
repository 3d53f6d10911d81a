package io.pessimism.app.cli;

import io.pessimism.api.EtlService;
import io.pessimism.app.dev.DevBroker;
import io.pessimism.app.dev.DevChain;
import io.pessimism.app.dev.LiveLatencyBench;
import io.pessimism.app.dev.Ports;
import io.pessimism.app.dev.ServiceStack;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.topology.bench.CreateBench;
import io.pessimism.client.PessimismClient;
import io.pessimism.config.NetworkSettings;
import io.pessimism.config.PessimismConfig;
import io.pessimism.config.Settings;
import io.pessimism.network.Network;
import io.pessimism.oracle.balance.BalanceTopics;
import io.pessimism.oracle.bench.BackfillBench;
import io.pessimism.oracle.bench.BalanceBench;
import io.pessimism.oracle.bench.BalanceFigures;
import io.pessimism.oracle.bench.BenchFigures;
import io.pessimism.oracle.bench.BlockMix;
import io.pessimism.pipeline.StreamsBranches;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import io.pessimism.topology.bench.PipeBench;
import io.pessimism.topology.bench.AggregateBench;
import io.pessimism.topology.bench.ReplayBench;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks measured in one run on this machine; they print figures and ratios.",
        subcommands = {BenchCommand.Backfill.class, BenchCommand.Pipe.class, BenchCommand.Create.class,
                BenchCommand.Replay.class, BenchCommand.Balance.class, BenchCommand.Aggregate.class,
                BenchCommand.Latency.class, BenchAllCommand.class})
public final class BenchCommand {

    @Command(name = "backfill", mixinStandardHelpOptions = true,
            description = {"GethBlock oracle catch-up versus the raw RPC ceiling (the same blocks and logs fetched "
                    + "with the same batching and thrown away), for a realistic and an empty block mix.",
                    "Per mix: warm-up passes of both (not counted), then raw and oracle passes alternating for a "
                    + "number of rounds; prints the median blocks/s of each, their ratio, and where the oracle's "
                    + "time went (waiting for fetched blocks, Kafka send, Kafka commit) with what limits it.",
                    "Starts its own throw-away broker (temporary directory) and anvil chain; generating the "
                    + "realistic mix and its passes take several minutes."})
    static final class Backfill implements Callable<Integer>, BenchRun {
        @Option(names = "--realistic-blocks", defaultValue = "5000",
                description = "Blocks of 50-150 transactions with logs (default: ${DEFAULT-VALUE}; 0 skips the mix).")
        int realisticBlocks;

        @Option(names = "--empty-blocks", defaultValue = "20000",
                description = "Empty blocks (default: ${DEFAULT-VALUE}; 0 skips the mix).")
        int emptyBlocks;

        @Option(names = "--batch-size", defaultValue = "100", description = "Heights per JSON-RPC batch (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--concurrency", defaultValue = "4", description = "Batches in flight (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--warmups", defaultValue = "1",
                description = "Uncounted passes of each kind per mix before the rounds (default: ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--rounds", defaultValue = "3",
                description = "Counted raw and oracle passes per mix, alternating (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws IOException, InterruptedException {
            measure(System.out);
            return 0;
        }

        @Override
        public List<String> measure(PrintStream out) throws IOException, InterruptedException {
            List<BlockMix> mixes = new ArrayList<>();
            if (emptyBlocks > 0) {
                mixes.add(BlockMix.empty(emptyBlocks));
            }
            if (realisticBlocks > 0) {
                mixes.add(BlockMix.realistic(realisticBlocks));
            }
            if (mixes.isEmpty()) {
                throw new IllegalArgumentException("nothing to measure: both --realistic-blocks and --empty-blocks are 0");
            }
            Path work = Files.createTempDirectory("pessimism-bench-");
            try (ServiceStack services = new ServiceStack()) {
                DevBroker broker = services.add("bench broker", new DevBroker(work.resolve("kafka"), Ports.free()));
                broker.start();
                DevChain chain = services.add("bench anvil",
                        new DevChain("bench", Ports.free(), 31337, Duration.ZERO, work.resolve("anvil.log"),
                                Optional.empty()));
                chain.start();
                Topics topics = new Topics(new TopicNames("bench"), InProcessSchemaRegistry.inMemory(), -1);
                List<BenchFigures> figures = new BackfillBench(chain.rpcUrl(), broker.bootstrapServers(),
                        topics.blocks(Network.LAYER1), batchSize, concurrency, warmups, rounds, out).run(mixes);
                List<String> lines = new ArrayList<>();
                lines.add("bench backfill (batch " + batchSize + ", concurrency " + concurrency + ", " + warmups
                        + " warm-up and " + rounds + " counted passes of each kind per mix, medians; "
                        + Runtime.getRuntime().availableProcessors() + " CPUs):");
                figures.forEach(f -> lines.add("  " + f.line()));
                out.println();
                lines.forEach(out::println);
                return lines;
            }
        }
    }

    @Command(name = "balance", mixinStandardHelpOptions = true,
            defaultValueProvider = BenchCommand.DeclaredFetchDefaults.class,
            description = {"AccountBalance oracle versus the raw ceiling of the same node: watched addresses x blocks "
                    + "per second of the oracle, and of the same balances read by block hash (batched eth_getBalance "
                    + "through the oracle's reader, same batch size and concurrency, nothing written).",
                    "Set-up: blocks in which a tenth of the addresses' balances change each (anvil_setBalance), the "
                    + "GethBlock oracle's topic holding them, one pipeline's interests in every address from the "
                    + "first block. Then warm-up passes of both (not counted), then raw and oracle passes alternating "
                    + "for a number of rounds; each oracle pass is a fresh oracle on a fresh output topic, timed from "
                    + "its open session to the commit of the last block. Every pass's output is checked; a wrong "
                    + "one stops the benchmark (exit 1).",
                    "Prints the median rates, their spread and ratio, where the oracle's time went and what limits "
                    + "it. Starts its own throw-away broker (temporary directory) and anvil chain."})
    static final class Balance implements Callable<Integer>, BenchRun {
        @Option(names = "--addresses", defaultValue = "1000",
                description = "Watched addresses (default: ${DEFAULT-VALUE}).")
        int addresses;

        @Option(names = "--blocks", defaultValue = "500", description = "Blocks (default: ${DEFAULT-VALUE}).")
        int blocks;

        @Option(names = "--batch-size", description = "eth_getBalance calls per JSON-RPC batch (default: the declared "
                + "networks.layer1.batch-size, ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--concurrency", description = "Batches in flight (default: the declared "
                + "networks.layer1.concurrency, ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--warmups", defaultValue = "1",
                description = "Uncounted passes of each kind before the rounds (default: ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--rounds", defaultValue = "3",
                description = "Counted raw and oracle passes, alternating (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws IOException, InterruptedException {
            measure(System.out);
            return 0;
        }

        @Override
        public List<String> measure(PrintStream out) throws IOException, InterruptedException {
            BalanceBench.Plan plan = new BalanceBench.Plan(addresses, blocks, batchSize, concurrency, warmups, rounds);
            Path work = Files.createTempDirectory("pessimism-bench-");
            try (ServiceStack services = new ServiceStack()) {
                DevBroker broker = services.add("bench broker", new DevBroker(work.resolve("kafka"), Ports.free()));
                broker.start();
                DevChain chain = services.add("bench anvil", new DevChain("bench", Ports.free(), 31337, Duration.ZERO,
                        work.resolve("anvil.log"), Optional.empty(), BalanceBench.anvilArgs(blocks)));
                chain.start();
                Topics topics = new Topics(new TopicNames("bench"), InProcessSchemaRegistry.inMemory(), -1);
                BalanceFigures figures = new BalanceBench(chain.rpcUrl(), chain.process(), broker.bootstrapServers(),
                        BalanceTopics.of(topics, Network.LAYER1), plan, out).run();
                List<String> lines = new ArrayList<>();
                lines.add("bench balance (" + addresses + " addresses x " + blocks + " blocks, "
                        + figures.recordsPerPass() + " records per oracle pass; batch " + batchSize + ", concurrency "
                        + concurrency + "; " + warmups + " warm-up and " + rounds + " counted passes of each kind, "
                        + "medians; balances/s = addresses x blocks per second; "
                        + Runtime.getRuntime().availableProcessors() + " CPUs):");
                figures.lines().forEach(line -> lines.add("  " + line));
                out.println();
                lines.forEach(out::println);
                return lines;
            }
        }
    }

    /**
     * Defaults of the options that say how the oracles fetch: the declared settings of layer1 (the
     * network the benchmarks run on), so a benchmark measures the oracle as it runs by default.
     */
    static final class DeclaredFetchDefaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec argSpec) {
            if (!(argSpec instanceof OptionSpec option)) {
                return null;
            }
            NetworkSettings declared = Settings.network(Network.LAYER1);
            return switch (option.longestName()) {
                case "--batch-size" -> String.valueOf(declared.batchSize().declaredDefault());
                case "--concurrency" -> String.valueOf(declared.concurrency().declaredDefault());
                default -> null;
            };
        }
    }

    /** A throw-away broker (temporary directory) and an in-memory HTTP registry for one bench run. */
    static final class BenchCluster implements AutoCloseable {
        final Path work;
        final ServiceStack services = new ServiceStack();
        final DevBroker broker;
        final EmbeddedSchemaRegistry registry;

        BenchCluster() throws IOException {
            work = Files.createTempDirectory("pessimism-bench-");
            broker = services.add("bench broker", new DevBroker(work.resolve("kafka"), Ports.free()));
            broker.start();
            registry = services.add("bench registry",
                    EmbeddedSchemaRegistry.builder().inMemory().host("127.0.0.1").port(0).build());
            registry.start();
        }

        @Override
        public void close() {
            services.close();
        }
    }

    @Command(name = "pipe", mixinStandardHelpOptions = true,
            description = {"The generated event_log branch (a live pipeline's, as the runtime configures it) versus "
                    + "two hand-written Kafka Streams jobs with the same source serde and branch properties "
                    + "(exactly_once_v2, commit interval): decode-and-drop (reads and decodes every block, writes "
                    + "nothing: the ceiling) and a filter emitting the branch's records for the same fixed watched "
                    + "(address, topic0) pair. On one pre-filled geth_block topic: warm-up passes, then rounds in "
                    + "alternating order; prints medians, spread, both ratios, each job's stream thread's busy share "
                    + "and what limits the branch. Every pass's output is checked; a wrong one stops the bench.",
                    "Starts its own throw-away broker and registry; filling 100,000 blocks takes a minute or two."})
    static final class Pipe implements Callable<Integer>, BenchRun {
        @Option(names = "--blocks", defaultValue = "" + PipeBench.DEFAULT_BLOCKS,
                description = "Blocks in the pre-filled topic (50 transactions, 40 logs each; default: ${DEFAULT-VALUE}).")
        int blocks;

        @Option(names = "--warmups", defaultValue = "1",
                description = "Uncounted passes of each job before the rounds (default: ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--rounds", defaultValue = "3",
                description = "Counted passes of each job, in alternating order (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws IOException {
            measure(System.out);
            return 0;
        }

        @Override
        public List<String> measure(PrintStream out) throws IOException {
            try (BenchCluster cluster = new BenchCluster()) {
                return List.of(PipeBench.run(cluster.broker.bootstrapServers(), cluster.registry.url(), blocks, warmups,
                        rounds, out).line());
            }
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"An event_log backtest (the generated topology with its range gate and end, exactly once) "
                    + "over a pre-filled block topic versus a plain read_committed consumer that reads and decodes "
                    + "the same blocks, in one run: warm-up passes of each, then alternating rounds; prints the "
                    + "medians, the spread and their ratio. Every backtest round's output is counted and checked.",
                    "Starts its own throw-away broker and registry; filling 100,000 blocks takes a minute or two."})
    static final class Replay implements Callable<Integer>, BenchRun {
        @Option(names = "--blocks", defaultValue = "100000",
                description = "Blocks in the backtest's range (10 transactions, 8 logs each; default: ${DEFAULT-VALUE}).")
        int blocks;

        @Option(names = "--warmups", defaultValue = "1",
                description = "Uncounted passes of each before the rounds (default: ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--rounds", defaultValue = "3",
                description = "Counted passes of each, alternating (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws IOException {
            measure(System.out);
            return 0;
        }

        @Override
        public List<String> measure(PrintStream out) throws IOException {
            try (BenchCluster cluster = new BenchCluster()) {
                return List.of(ReplayBench.run(cluster.broker.bootstrapServers(), cluster.registry.url(), blocks,
                        warmups, rounds, out).line());
            }
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true,
            description = {"Live latency: from a block's availability at the node to its record in a live "
                    + "event_log pipeline's .out for a read_committed consumer, on a stack like dev's (local broker, "
                    + "embedded registry, anvil, the oracles on WebSocket newHeads, the ETL service); a block with "
                    + "a watched Ping every --interval; prints p50, p99 and max (target p99 <= 250 ms).",
                    "Starts its own throw-away broker, registry and anvil chain."})
    static final class Latency implements Callable<Integer>, BenchRun {
        @Option(names = "--blocks", defaultValue = "400",
                description = "Measured blocks (default: ${DEFAULT-VALUE}).")
        int blocks;

        @Option(names = "--warmups", defaultValue = "20",
                description = "Blocks before the measured ones, while the pipeline starts (default: ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--interval", defaultValue = "250ms",
                description = "Time between blocks (default: ${DEFAULT-VALUE}).")
        String interval;

        @Option(names = "--commit-interval", defaultValue = "100ms",
                description = "The ETL's pipelines.commit-interval, at most 100ms (default: ${DEFAULT-VALUE}, the "
                        + "setting's default).")
        String commitInterval;

        @Override
        public Integer call() throws Exception {
            measure(System.out);
            return 0;
        }

        @Override
        public List<String> measure(PrintStream out) throws Exception {
            return List.of(LiveLatencyBench.run(blocks, warmups, Durations.parse("--interval", interval),
                    Durations.parse("--commit-interval", commitInterval), out).line());
        }
    }

    @Command(name = "aggregate", mixinStandardHelpOptions = true,
            description = {"l1_l2_block_sync triggered on layer1 (the generated topology, exactly once) over "
                    + "pre-filled block topics of both networks (layer1 every 2 s, layer2 every second of block "
                    + "time) versus two hand-written Kafka Streams jobs with the same serde and a live branch's "
                    + "properties: a pass-through forwarding every record of both topics unchanged, and "
                    + "decode-and-drop (the read/decode/commit ceiling); in one run: warm-up passes of each, then "
                    + "rounds in alternating order; prints tuples/s (layer1 blocks/s) medians, the spread and the "
                    + "ratios. Every round's output is counted and checked.",
                    "Starts its own throw-away broker and registry."})
    static final class Aggregate implements Callable<Integer>, BenchRun {
        @Option(names = "--tuples", defaultValue = "20000",
                description = "Layer1 blocks, one tuple each (and twice as many layer2 blocks; default: ${DEFAULT-VALUE}).")
        int tuples;

        @Option(names = "--warmups", defaultValue = "1",
                description = "Uncounted passes of each before the rounds (default: ${DEFAULT-VALUE}).")
        int warmups;

        @Option(names = "--rounds", defaultValue = "3",
                description = "Counted passes of each, alternating (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Override
        public Integer call() throws IOException {
            measure(System.out);
            return 0;
        }

        @Override
        public List<String> measure(PrintStream out) throws IOException {
            try (BenchCluster cluster = new BenchCluster()) {
                return List.of(AggregateBench.run(cluster.broker.bootstrapServers(), cluster.registry.url(), tuples,
                        warmups, rounds, out).line());
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Pipeline creates over 10 distinct PipelinePIDs (five registers, two networks) against a "
                    + "real ETL service (control plane, Kafka Streams branches, REST API): p50, p99, p99.9 and max per "
                    + "request, and the real creates (the first of each PID) on their own; once per concurrency, each "
                    + "against a fresh service.",
                    "Starts its own throw-away broker and registry. Four bench-only registers pass blocks "
                    + "through, so every request's pipeline runs a real branch."})
    static final class Create implements Callable<Integer>, BenchRun {
        @Option(names = "--requests", defaultValue = "1000", description = "Create requests per concurrency "
                + "(default: ${DEFAULT-VALUE}).")
        int requests;

        @Option(names = "--concurrency", defaultValue = "1,8", split = ",",
                description = "Requests in flight; a comma-separated list runs once per value, each against a fresh "
                        + "service (default: ${DEFAULT-VALUE}).")
        List<Integer> concurrency;

        @Option(names = "--warm-up", defaultValue = "200", description = {"Untimed round trips through the "
                + "control plane before the creates: pauses of a pipeline that does not exist, refused with 404, "
                + "so nothing is created (default: ${DEFAULT-VALUE})."})
        int warmUps;

        @Override
        public Integer call() throws IOException {
            measure(System.out);
            return 0;
        }

        @Override
        public List<String> measure(PrintStream out) throws IOException {
            if (concurrency.stream().anyMatch(c -> c < 1)) {
                throw new IllegalArgumentException("--concurrency: every value must be at least 1, was " + concurrency);
            }
            List<String> lines = new ArrayList<>();
            try (BenchCluster cluster = new BenchCluster()) {
                Registry registry = CreateBench.benchRegistry();
                for (int inFlight : concurrency) {
                    // a namespace of its own: a fresh control plane, so this run's first requests really create
                    PessimismConfig config = PessimismConfig.defaults(Map.of(
                            "namespace", "benchcreate" + inFlight,
                            "kafka.bootstrap.servers", cluster.broker.bootstrapServers(),
                            "schema.registry.url", cluster.registry.url(),
                            "state.dir", cluster.work.resolve("state-" + inFlight).toString(),
                            "api.port", "0",
                            // the bench measures the service, not the per-client limiter (api.rate-limit)
                            "api.rate-limit", "0"));
                    ServiceContext context = ServiceContext.of(config);
                    try (EtlService etl = new EtlService(config, context.registry(),
                            StreamsBranches.create(config, context.registry(), registry, CreateBench.benchCatalog()),
                            registry, EtlService.Options.defaults()).start()) {
                        CreateBench.Result result = CreateBench.run(
                                PessimismClient.create(etl.apiUrl(), Optional.empty()), registry,
                                CreateBench.distinctLiveRequests(registry, CreateBench.benchCatalog(), 10), requests,
                                inFlight, warmUps);
                        out.println(result.report());
                        lines.addAll(result.report().lines().toList());
                    }
                }
            }
            return lines;
        }
    }
}
