package io.pessimism.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Render the registry's register DAG (and, with --api, the active pipelines and their topologies).")
public final class GraphCommand implements Callable<Integer> {

    enum Format { mermaid, dot, json }

    @Option(names = "--format", defaultValue = "mermaid", description = "mermaid | dot | json (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() {
        throw new NotYetAvailable("pessimism graph", "the graph issue");
    }
}
