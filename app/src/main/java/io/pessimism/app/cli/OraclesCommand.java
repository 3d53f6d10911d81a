package io.pessimism.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "oracles", mixinStandardHelpOptions = true,
        description = {"Run the oracles of every enabled network: the GethBlock oracle follows the node "
                + "and publishes blocks with their logs to <ns>.<network>.geth_block, transactionally.",
                "Stops cleanly on SIGTERM/Ctrl-C."})
public final class OraclesCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        throw new NotYetAvailable("pessimism oracles", "issue #4 (the GethBlock oracle)");
    }
}
