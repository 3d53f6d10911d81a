package io.pessimism.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "etl", mixinStandardHelpOptions = true,
        description = {"Run the ETL service: the control plane, one Kafka Streams app per pipeline prefix, "
                + "and the REST API.", "Stops cleanly on SIGTERM/Ctrl-C."})
public final class EtlCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() {
        throw new NotYetAvailable("pessimism etl", "issue #5 (control plane, event_log branch, REST API)");
    }
}
