package io.pessimism.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Run a backtest pipeline over [start, end] by replaying the oracle topic's offsets; "
                + "shows progress until Done.")
public final class BacktestCommand implements Callable<Integer> {

    @Mixin
    ApiCommand.ApiOptions api;

    @Option(names = "--network", required = true, description = "layer1 | layer2")
    String network;

    @Option(names = "--register", required = true, description = "Register to compute, e.g. event_log")
    String register;

    @Option(names = "--start", required = true, description = "First block")
    long start;

    @Option(names = "--end", required = true, description = "Last block")
    long end;

    @Option(names = "--owner", required = true, description = "Who asks: a heuristic session id")
    String owner;

    @Override
    public Integer call() {
        throw new NotYetAvailable("pessimism backtest", "the backtest issue");
    }
}
