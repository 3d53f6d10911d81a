package io.pessimism.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks measured in one run on this machine; they print figures and ratios.",
        subcommands = {BenchCommand.Backfill.class, BenchCommand.Pipe.class, BenchCommand.Create.class})
public final class BenchCommand {

    @Command(name = "backfill", mixinStandardHelpOptions = true,
            description = "GethBlock oracle catch-up versus the raw RPC ceiling, realistic and empty block mixes.")
    static final class Backfill implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NotYetAvailable("pessimism bench backfill", "issue #4 (the GethBlock oracle)");
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
