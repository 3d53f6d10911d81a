package io.pessimism.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pessimism.api.CreatePipelineRequest;
import io.pessimism.api.PipelineCreated;
import io.pessimism.api.PipelineView;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pessimism backtest}: creates a backtest pipeline through the REST API, shows its progress
 * on stderr until it is done, then prints the done pipeline as JSON on stdout (as {@code pipelines
 * show} does) and where its records are. Exit codes: 0 done; 1 stopped, merged, removed, or not done
 * within {@code --timeout} (an ERROR retries itself, so it is shown and waited out until then); 2 a
 * request the API refused. Ctrl-C leaves the backtest running and says how to follow it.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = {"Run a backtest pipeline over [start, end] by replaying the oracle topic's offsets (a "
                + "range older than the topic holds, or past balances, is read from the node into the backtest's "
                + "own <prefix>.source by 'pessimism oracles'): creates it, shows its progress on stderr (blocks done of the total, rate, time left) until it "
                + "is done, then prints the pipeline as JSON on stdout and where its records are.",
                "Exit codes: 0 done; 1 stopped, removed or not done within --timeout (an error is shown and "
                        + "waited out, as the pipeline retries by itself); 2 a request the API refused. Ctrl-C "
                        + "leaves the backtest running: follow it with 'pessimism pipelines watch PUUID'."})
public final class BacktestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ApiCommand.ApiOptions api;

    @Option(names = "--network", required = true, description = "layer1 | layer2")
    String network;

    @Option(names = "--register", required = true, description = "Register to compute, e.g. event_log")
    String register;

    @Option(names = "--start", required = true, description = "First block")
    long start;

    @Option(names = "--end", required = true, description = "Last block (inclusive)")
    long end;

    @Option(names = "--owner", required = true, description = "Who asks: a heuristic session id")
    String owner;

    @Mixin
    InterestOptions interests;

    @Option(names = "--timeout", defaultValue = "1h",
            description = "How long to wait for the backtest to be done before exiting 1; it keeps running "
                    + "(default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--interval", defaultValue = "1s", description = "How often to ask for its status (default: ${DEFAULT-VALUE}).")
    String interval;

    @Override
    public Integer call() {
        Duration limit = Durations.parse("--timeout", timeout);
        Duration every = Durations.parse("--interval", interval);
        PrintWriter err = spec.commandLine().getErr();
        PessimismClient client = api.client();
        PipelineCreated created;
        try {
            created = client.createPipeline(new CreatePipelineRequest(network, "backtest", register, start, end, owner,
                    interests.interests()));
        } catch (PessimismApiException e) {
            return ApiCommand.refused(spec, e);
        }
        String puuid = created.puuid();
        String follow = "pessimism pipelines watch " + puuid + " --api " + api.url;
        err.println("backtest " + puuid + ": " + register + " on " + network + ", blocks " + start + ".." + end
                + ", records to " + created.topic());
        err.flush();
        ProgressLine line = ProgressLine.on(err);
        Thread interrupted = new Thread(() -> line.note("interrupted: the backtest keeps running; follow it with "
                + follow), "pessimism-backtest-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        PipelineFollower.Outcome outcome;
        try {
            outcome = new PipelineFollower(PipelineFollower.Views.of(client), line, every)
                    .follow(puuid, Optional.of(limit));
        } catch (PessimismApiException e) {
            return ApiCommand.refused(spec, e);
        } finally {
            forget(interrupted);
        }
        PipelineView last = outcome.last();
        if (outcome instanceof PipelineFollower.Outcome.Finished) {
            return last.state().equals("done") ? done(last) : failed("the backtest is " + last.state() + reason(last)
                    + "; nothing more comes of it unless it is resumed");
        }
        if (outcome instanceof PipelineFollower.Outcome.Gone) {
            return failed("backtest " + puuid + " is no longer there: it was removed");
        }
        if (outcome instanceof PipelineFollower.Outcome.TimedOut) {
            return failed("not done within " + timeout + (last == null ? "" : " (" + last.state() + reason(last) + ")")
                    + "; the backtest keeps running: follow it with " + follow);
        }
        return failed("interrupted: the backtest keeps running; follow it with " + follow);
    }

    private int done(PipelineView view) {
        try {
            ApiCommand.print(spec, view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not print the pipeline " + view.puuid(), e);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("done: blocks " + view.startHeight() + ".." + view.endHeight() + " of " + view.network()
                + "; the records are on " + view.topic() + " (read_committed), before the record whose backtestEnd "
                + "is set, which counts them");
        err.flush();
        return 0;
    }

    private int failed(String why) {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + why);
        err.flush();
        return 1;
    }

    private static String reason(PipelineView view) {
        return view.status() == null || view.status().reason() == null ? "" : ": " + view.status().reason();
    }

    /** The shutdown hook is for Ctrl-C while following: once the command returns, it has nothing to say. */
    private static void forget(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C came: the hook says where the backtest is
        }
    }
}
