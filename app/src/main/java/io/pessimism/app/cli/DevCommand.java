package io.pessimism.app.cli;

import io.pessimism.api.EtlService;
import io.pessimism.app.dev.Demo;
import io.pessimism.app.dev.DevBroker;
import io.pessimism.app.dev.DevChain;
import io.pessimism.app.dev.ServiceStack;
import io.pessimism.app.service.OracleMetrics;
import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.topic.TopicNames;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dev", mixinStandardHelpOptions = true,
        description = {"Run everything on one machine with embedded defaults: a dev Kafka broker (KRaft, data "
                + "kept under --data-dir), the embedded Schema Registry, anvil chains for layer1 and layer2, "
                + "and the services built so far.",
                "Prints where each listens; Ctrl-C stops everything cleanly."})
public final class DevCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", defaultValue = ".pessimism/dev",
            description = "Where the dev broker keeps its data and the services their logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Dev broker port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081",
            description = "Embedded Schema Registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--namespace", defaultValue = "pessimism",
            description = "Topic namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--layer1-port", defaultValue = "8545", description = "anvil layer1 RPC port (default: ${DEFAULT-VALUE}).")
    int layer1Port;

    @Option(names = "--layer2-port", defaultValue = "9545", description = "anvil layer2 RPC port (default: ${DEFAULT-VALUE}).")
    int layer2Port;

    @Option(names = "--block-time", defaultValue = "2s",
            description = "Block time of the dev chains, e.g. 1s; 0s mines only on transactions (default: ${DEFAULT-VALUE}).")
    String blockTime;

    @Option(names = "--api-port", defaultValue = "8080", description = "ETL REST API port (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--demo", description = "Deploy a contract that emits Ping events on layer1, create a pipeline "
            + "watching it, and print the records flowing out of its .out topic.")
    boolean demo;

    @Option(names = "--exit-after-start", hidden = true,
            description = "Start everything, print the endpoints, then stop (smoke tests).")
    boolean exitAfterStart;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration block = Durations.parse("--block-time", blockTime);
        try (ServiceStack services = new ServiceStack()) {
            StopSignal stop = new StopSignal("dev", services); // registered first: Ctrl-C while starting closes what started

            DevBroker broker = services.add("dev broker", new DevBroker(dataDir.resolve("kafka"), kafkaPort));
            broker.start();
            EmbeddedSchemaRegistry registry = services.add("schema registry", EmbeddedSchemaRegistry.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .storeTopic(new TopicNames(namespace).schemas())
                    .host("127.0.0.1")
                    .port(registryPort)
                    .build());
            registry.start();
            DevChain layer1 = services.add("layer1 anvil",
                    new DevChain("layer1", layer1Port, 900, block, dataDir.resolve("logs/anvil-layer1.log"),
                            Optional.of(dataDir.resolve("chains/layer1.json"))));
            layer1.start();
            DevChain layer2 = services.add("layer2 anvil",
                    new DevChain("layer2", layer2Port, 901, block, dataDir.resolve("logs/anvil-layer2.log"),
                            Optional.of(dataDir.resolve("chains/layer2.json"))));
            layer2.start();

            PessimismConfig config = PessimismConfig.defaults(devSettings(broker, registry, layer1, layer2));
            ServiceContext context = ServiceContext.of(config);
            OracleService oracles = services.add("oracles", new OracleService(config, context.topics())).start();
            EtlService etl = services.add("ETL service", EtlCommand.start(context));
            OracleMetrics.bind(etl.metrics(), oracles, n -> config.network(n).rpcUrl()); // one /metrics for the whole dev process

            out.println("pessimism dev is up:");
            out.printf("  kafka            %s%n", broker.bootstrapServers());
            out.printf("  schema registry  %s%n", registry.url());
            out.printf("  layer1 (anvil)   %s  chain id %d%n", layer1.rpcUrl(), layer1.chainId());
            out.printf("  layer2 (anvil)   %s  chain id %d%n", layer2.rpcUrl(), layer2.chainId());
            out.printf("  oracles          %s%n", oracles.oracles().stream()
                    .map(id -> context.topics().names().registerTopic(id.network(), id.register()))
                    .collect(Collectors.joining(", ")));
            out.printf("  ETL REST API     %s   (try: curl %s/v1/pipelines)%n", etl.apiUrl(), etl.apiUrl());
            out.printf("  data             %s%n", dataDir.toAbsolutePath());
            out.println(exitAfterStart ? "stopping (--exit-after-start)" : "Ctrl-C to stop.");
            out.flush();
            if (demo) {
                services.add("demo", Demo.start(layer1.rpcUrl(), etl.apiUrl(), broker.bootstrapServers(),
                        context.topics(), out));
            }
            if (!exitAfterStart) {
                stop.await();
            }
        }
        return 0;
    }

    /** The configuration every dev service runs with: the settings pointing at what dev just started. */
    private Map<String, String> devSettings(DevBroker broker, EmbeddedSchemaRegistry registry, DevChain layer1,
                                            DevChain layer2) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("namespace", namespace);
        settings.put("kafka.bootstrap.servers", broker.bootstrapServers());
        settings.put("schema.registry.url", registry.url());
        settings.put("state.dir", dataDir.resolve("state").toString());
        settings.put("api.port", Integer.toString(apiPort));
        settings.put("networks.layer1.rpc-url", layer1.rpcUrl());
        settings.put("networks.layer1.ws-url", layer1.wsUrl());
        settings.put("networks.layer2.rpc-url", layer2.rpcUrl());
        settings.put("networks.layer2.ws-url", layer2.wsUrl());
        return settings;
    }
}
