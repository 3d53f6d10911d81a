package io.pessimism.app.cli;

import io.pessimism.app.dev.DevBroker;
import io.pessimism.app.dev.DevChain;
import io.pessimism.app.dev.Ports;
import io.pessimism.app.dev.ServiceStack;
import io.pessimism.network.Network;
import io.pessimism.oracle.bench.BackfillBench;
import io.pessimism.oracle.bench.BenchFigures;
import io.pessimism.oracle.bench.BlockMix;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks measured in one run on this machine; they print figures and ratios.",
        subcommands = {BenchCommand.Backfill.class, BenchCommand.Pipe.class, BenchCommand.Create.class})
public final class BenchCommand {

    @Command(name = "backfill", mixinStandardHelpOptions = true,
            description = {"GethBlock oracle catch-up versus the raw RPC ceiling (the same blocks and logs fetched "
                    + "with the same batching and thrown away), for a realistic and an empty block mix.",
                    "Starts its own throw-away broker (temporary directory) and anvil chain; generating the "
                    + "realistic mix takes a few minutes."})
    static final class Backfill implements Callable<Integer> {
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

        @Override
        public Integer call() throws IOException, InterruptedException {
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
            PrintStream out = System.out;
            try (ServiceStack services = new ServiceStack()) {
                DevBroker broker = services.add("bench broker", new DevBroker(work.resolve("kafka"), Ports.free()));
                broker.start();
                DevChain chain = services.add("bench anvil",
                        new DevChain("bench", Ports.free(), 31337, Duration.ZERO, work.resolve("anvil.log")));
                chain.start();
                Topics topics = new Topics(new TopicNames("bench"), InProcessSchemaRegistry.inMemory(), -1);
                List<BenchFigures> figures = new BackfillBench(chain.rpcUrl(), broker.bootstrapServers(),
                        topics.blocks(Network.LAYER1), batchSize, concurrency, out).run(mixes);
                out.println();
                out.println("bench backfill (batch " + batchSize + ", concurrency " + concurrency + "):");
                figures.forEach(f -> out.println("  " + f.line()));
            }
            return 0;
        }
    }

    @Command(name = "pipe", mixinStandardHelpOptions = true,
            description = "The generated event_log branch versus a bare Kafka Streams pass-through.")
    static final class Pipe implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetAvailable("pessimism bench pipe", "issue #5 (the event_log branch)");
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "1,000 pipeline creates over 10 distinct PIDs: p50/p99 per request.")
    static final class Create implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetAvailable("pessimism bench create", "issue #5 (control plane)");
        }
    }
}
