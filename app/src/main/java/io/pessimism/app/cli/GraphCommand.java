package io.pessimism.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pessimism.registry.Registry;
import io.pessimism.registry.RegistryGraph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Render the registry's register DAG: which register feeds which.")
public final class GraphCommand implements Callable<Integer> {

    enum Format { mermaid, dot, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "mermaid", description = "mermaid | dot | json (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() throws Exception {
        RegistryGraph graph = new RegistryGraph(Registry.standard());
        spec.commandLine().getOut().print(switch (format) {
            case mermaid -> graph.mermaid();
            case dot -> graph.dot();
            case json -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(graph.structure()) + "\n";
        });
        spec.commandLine().getOut().flush();
        return 0;
    }
}
