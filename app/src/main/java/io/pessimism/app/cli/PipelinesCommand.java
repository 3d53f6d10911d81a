package io.pessimism.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pipelines", mixinStandardHelpOptions = true,
        description = "Create and manage pipelines through the ETL's REST API.",
        subcommands = {
            PipelinesCommand.Create.class,
            PipelinesCommand.ListPipelines.class,
            PipelinesCommand.Show.class,
            PipelinesCommand.Pause.class,
            PipelinesCommand.Resume.class,
            PipelinesCommand.Stop.class,
            PipelinesCommand.Remove.class,
            PipelinesCommand.Watch.class
        })
public final class PipelinesCommand {

    private static final String ISSUE = "issue #5 (control plane and REST API)";

    /** Where the ETL's REST API listens; shared by every pipelines/addresses subcommand. */
    static final class ApiOptions {
        @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:PESSIMISM_API_URL:-http://127.0.0.1:8080}",
                description = "ETL REST API base URL (default: ${DEFAULT-VALUE}, env PESSIMISM_API_URL).")
        String url;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:PESSIMISM_API_TOKEN}",
                description = "Bearer token, when the API requires one (env PESSIMISM_API_TOKEN).")
        String token;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a pipeline (or reuse the identical live one): prints {puuid, pid, topic, state, reused}.")
    static final class Create implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ApiOptions api;

        @Option(names = "--network", required = true, description = "layer1 | layer2")
        String network;

        @Option(names = "--type", defaultValue = "live", description = "live | backtest (default: ${DEFAULT-VALUE})")
        String type;

        @Option(names = "--register", required = true, description = "Register to compute, e.g. event_log")
        String register;

        @Option(names = "--start", description = "First block (backfill or backtest)")
        Long startHeight;

        @Option(names = "--end", description = "Last block (backtest)")
        Long endHeight;

        @Option(names = "--owner", required = true, description = "Who asks: a heuristic session id")
        String owner;

        @Option(names = "--watch", paramLabel = "ADDRESS=SIG[;SIG…]",
                description = "Initial interest: an address and the event signatures to match (repeatable), "
                        + "e.g. --watch 0xabc…=Ping(address,uint256)")
        java.util.Map<String, String> interests = new java.util.LinkedHashMap<>();

        @Override
        public Integer call() {
            throw new NotYetAvailable("pessimism pipelines create", ISSUE);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List pipelines with their state.")
    static final class ListPipelines implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ApiOptions api;

        @Override
        public Integer call() {
            throw new NotYetAvailable("pessimism pipelines list", ISSUE);
        }
    }

    /** The subcommands that act on one pipeline by PUUID. */
    abstract static class OnePipeline implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "PUUID", description = "The pipeline's PUUID")
        String puuid;

        abstract String verb();

        @Override
        public Integer call() {
            throw new NotYetAvailable("pessimism pipelines " + verb(), ISSUE);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one pipeline: spec, state, height, lag.")
    static final class Show extends OnePipeline {
        @Override
        String verb() {
            return "show";
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a pipeline (keeps its position).")
    static final class Pause extends OnePipeline {
        @Override
        String verb() {
            return "pause";
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused or failed pipeline.")
    static final class Resume extends OnePipeline {
        @Override
        String verb() {
            return "resume";
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a pipeline: close its branch, delete its offsets and local state.")
    static final class Stop extends OnePipeline {
        @Override
        String verb() {
            return "stop";
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an owner from a pipeline; the last owner removes the pipeline and its topics.")
    static final class Remove extends OnePipeline {
        @Option(names = "--owner", description = "The owner leaving (default: all)")
        String owner;

        @Option(names = "--keep-output", description = "Keep <prefix>.out when the pipeline is removed")
        boolean keepOutput;

        @Override
        String verb() {
            return "remove";
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true, description = "Follow a pipeline's status until interrupted.")
    static final class Watch extends OnePipeline {
        @Override
        String verb() {
            return "watch";
        }
    }
}
