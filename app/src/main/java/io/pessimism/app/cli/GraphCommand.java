package io.pessimism.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pessimism.client.PessimismApiException;
import io.pessimism.registry.Registry;
import io.pessimism.registry.RegistryGraph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = {"Render the registry's register DAG: which register feeds which.",
            "With --active, ask the ETL service (--api) for the DAG and the pipelines running there: each branch "
                    + "from the oracle topics it reads to its .out (json adds each branch's Kafka Streams topology)."})
public final class GraphCommand implements Callable<Integer> {

    enum Format { mermaid, dot, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "mermaid", description = "mermaid | dot | json (default: ${DEFAULT-VALUE})")
    Format format;

    @Option(names = "--active", description = "Also the active pipelines and their branches, from the ETL service at --api.")
    boolean active;

    @Mixin
    ApiCommand.ApiOptions api;

    @Override
    public Integer call() throws Exception {
        if (active) {
            try {
                String answer = api.client().graph(format.name());
                spec.commandLine().getOut().print(answer.endsWith("\n") ? answer : answer + "\n");
                spec.commandLine().getOut().flush();
                return 0;
            } catch (PessimismApiException e) {
                return ApiCommand.refused(spec, e);
            }
        }
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
