package io.pessimism.app.cli;

import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.client.PessimismClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pipelines", mixinStandardHelpOptions = true,
        description = "Create and manage pipelines through the ETL's REST API; answers are printed as JSON.",
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

        @Option(names = "--watch", paramLabel = "ADDRESS=SIG[;SIG…]", mapFallbackValue = "",
                description = "Initial interest: an address and the event signatures to match (repeatable), "
                        + "e.g. --watch 0xabc…='Ping(address,uint256);Pong(address,uint256)'; an address alone for "
                        + "account_balance: --watch 0xabc…")
        Map<String, String> watch = new LinkedHashMap<>();

        @Override
        Object call(PessimismClient client) {
            List<CreatePipelineRequest.Interest> interests = new ArrayList<>();
            watch.forEach((address, signatures) -> interests.add(new CreatePipelineRequest.Interest(address,
                    signatures.isBlank() ? List.of() : List.of(signatures.split(";")))));
            return client.createPipeline(new CreatePipelineRequest(network, type, register, startHeight, endHeight,
                    owner, interests));
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
            description = "Print a pipeline's status whenever it changes, until interrupted.")
    static final class Watch extends OnePipeline {
        @Option(names = "--interval", defaultValue = "1s", description = "How often to ask (default: ${DEFAULT-VALUE}).")
        String interval;

        @Override
        Object call(PessimismClient client) {
            long every = Durations.parse("--interval", interval).toMillis();
            Object last = null;
            while (!Thread.currentThread().isInterrupted()) {
                var view = client.showPipeline(puuid);
                if (!view.equals(last)) {
                    spec.commandLine().getOut().println(view.status() == null ? view.state()
                            : view.state() + " " + view.status());
                    spec.commandLine().getOut().flush();
                    last = view;
                }
                try {
                    Thread.sleep(every); // the polling period the operator asked for
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return last;
        }
    }
}
