package io.pessimism.app.cli;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pipelines", mixinStandardHelpOptions = true,
        description = "Create and manage pipelines through the ETL's REST API; answers are printed as JSON.",
        subcommands = {
            PipelinesCommand.Create.class,
            PipelinesCommand.ListPipelines.class,
            PipelinesCommand.Show.class,
            PipelinesCommand.Pause.class,
            PipelinesCommand.Resume.class,
            PipelinesCommand.Stop.class,
            PipelinesCommand.Update.class,
            PipelinesCommand.Remove.class,
            PipelinesCommand.Watch.class
        })
public final class PipelinesCommand {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a pipeline (or reuse the identical live one): prints {puuid, pid, topic, state, reused}.")
    static final class Create extends ApiCommand {
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

        @Mixin
        InterestOptions interests;

        @Override
        Object call(PessimismClient client) {
            return client.createPipeline(new CreatePipelineRequest(network, type, register, startHeight, endHeight,
                    owner, interests.interests()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List pipelines with their state.")
    static final class ListPipelines extends ApiCommand {
        @Override
        Object call(PessimismClient client) {
            return client.listPipelines();
        }
    }

    /** The subcommands that act on one pipeline by PUUID. */
    abstract static class OnePipeline extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PUUID", description = "The pipeline's PUUID")
        String puuid;
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one pipeline: spec, state, height, lag.")
    static final class Show extends OnePipeline {
        @Override
        Object call(PessimismClient client) {
            return client.showPipeline(puuid);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a pipeline (keeps its position).")
    static final class Pause extends OnePipeline {
        @Override
        Object call(PessimismClient client) {
            return client.pausePipeline(puuid);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused or failed pipeline.")
    static final class Resume extends OnePipeline {
        @Override
        Object call(PessimismClient client) {
            return client.resumePipeline(puuid);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop a pipeline: close its branch, delete its offsets and local state.")
    static final class Stop extends OnePipeline {
        @Override
        Object call(PessimismClient client) {
            return client.stopPipeline(puuid);
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Move a running backtest's end later, to compute more of the chain (an earlier end, or a "
                    + "done backtest's, is refused).")
    static final class Update extends OnePipeline {
        @Option(names = "--end", required = true, paramLabel = "HEIGHT", description = "The backtest's new endHeight")
        long end;

        @Override
        Object call(PessimismClient client) {
            return client.updateBacktestEnd(puuid, end);
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
        Object call(PessimismClient client) {
            return client.removePipeline(puuid, Optional.ofNullable(owner), keepOutput);
        }
    }

    @Command(name = "watch", mixinStandardHelpOptions = true,
            description = {"Follow a pipeline: its state changes and progress (blocks done of the total, rate, time "
                    + "left while it backfills or backtests; height, head and lag when live), until it is done, "
                    + "stopped or merged, or until interrupted. On a terminal the line is redrawn in place; "
                    + "elsewhere a line is printed when the state changes and every few seconds while it progresses.",
                    "Exit codes: 0 a final state was reached; 1 the pipeline was removed meanwhile; 2 no such "
                            + "pipeline, or another refused request."})
    static final class Watch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ApiCommand.ApiOptions api;

        @Parameters(index = "0", paramLabel = "PUUID", description = "The pipeline's PUUID")
        String puuid;

        @Option(names = "--interval", defaultValue = "1s", description = "How often to ask (default: ${DEFAULT-VALUE}).")
        String interval;

        @Override
        public Integer call() {
            Duration every = Durations.parse("--interval", interval);
            PessimismClient client = api.client();
            try {
                client.showPipeline(puuid); // an unknown PUUID is a refused request, as for show
                PipelineFollower.Outcome outcome = new PipelineFollower(PipelineFollower.Views.of(client),
                        ProgressLine.on(spec.commandLine().getOut()), every).follow(puuid, Optional.empty());
                if (outcome instanceof PipelineFollower.Outcome.Gone) {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": pipeline " + puuid
                            + " is no longer there: it was removed");
                    spec.commandLine().getErr().flush();
                    return 1;
                }
                return 0;
            } catch (PessimismApiException e) {
                return ApiCommand.refused(spec, e);
            }
        }
    }
}
