package io.pessimism.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command, at every depth, answers --help with its usage and exit code 0. */
class CliHelpTest {

    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        collect(Main.commandLine(), "", names);
        return names.stream();
    }

    private static void collect(CommandLine cmd, String prefix, List<String> out) {
        for (var entry : cmd.getSubcommands().entrySet()) {
            if (entry.getKey().equals("help")) {
                continue;
            }
            String path = (prefix + " " + entry.getKey()).trim();
            out.add(path);
            collect(entry.getValue(), path, out);
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelp(String command) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");

        int rc = cli.execute(args.toArray(String[]::new));

        assertThat(rc).isZero();
        assertThat(out.toString()).startsWith("Usage: pessimism " + command);
    }

    @org.junit.jupiter.api.Test
    void theTreeHoldsTheCommandsOfTheDesign() {
        assertThat(commands()).contains("dev", "etl", "oracles", "registry", "pipelines create", "pipelines list",
                "pipelines show", "pipelines pause", "pipelines resume", "pipelines stop", "pipelines remove",
                "pipelines watch", "addresses add", "addresses remove", "backtest", "graph", "bench backfill",
                "bench pipe", "bench create", "bench balance", "bench all");
    }

    @org.junit.jupiter.api.Test
    void benchBalanceFetchesAsTheOracleDoesByDefault() {
        var declared = io.pessimism.config.Settings.network(io.pessimism.network.Network.LAYER1);
        CommandLine cli = Main.commandLine();
        CommandLine balance = cli.getSubcommands().get("bench").getSubcommands().get("balance");
        // no second default: the option has none of its own, the declared settings give it
        assertThat(balance.getCommandSpec().findOption("--batch-size").defaultValue()).isNull();
        assertThat(balance.getCommandSpec().defaultValueProvider()).isNotNull();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.execute("bench", "balance", "--help");
        assertThat(out.toString().replaceAll("\\s+", "")) // the help wraps lines anywhere
                .contains("networks.layer1.batch-size," + declared.batchSize().declaredDefault() + ")")
                .contains("networks.layer1.concurrency," + declared.concurrency().declaredDefault() + ")");
    }

    @org.junit.jupiter.api.Test
    void aBadCommandLineNamesTheProblem() {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        int rc = cli.execute("dev", "--block-time", "soon");

        assertThat(rc).isEqualTo(2);
        assertThat(err.toString()).contains("--block-time").contains("soon");
    }
}
