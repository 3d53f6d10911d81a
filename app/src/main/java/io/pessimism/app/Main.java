package io.pessimism.app;

import io.pessimism.app.cli.AddressesCommand;
import io.pessimism.app.cli.BacktestCommand;
import io.pessimism.app.cli.BenchCommand;
import io.pessimism.app.cli.DevCommand;
import io.pessimism.app.cli.EtlCommand;
import io.pessimism.app.cli.GraphCommand;
import io.pessimism.app.cli.OraclesCommand;
import io.pessimism.app.cli.PipelinesCommand;
import io.pessimism.app.cli.RegistersCommand;
import io.pessimism.app.cli.RegistryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one runnable of pessimism-etl: every service and tool is a subcommand of {@code pessimism}. */
@Command(
        name = "pessimism",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Pessimism ETL on Apache Kafka: chain data into risk-engine input topics.",
        subcommands = {
            DevCommand.class,
            EtlCommand.class,
            OraclesCommand.class,
            RegistryCommand.class,
            PipelinesCommand.class,
            AddressesCommand.class,
            RegistersCommand.class,
            BacktestCommand.class,
            GraphCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the CLI tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new CliExceptionHandler());
    }

    @Override
    public void run() {
        // No subcommand: show what there is instead of doing nothing silently.
        spec.commandLine().usage(System.out);
    }
}
