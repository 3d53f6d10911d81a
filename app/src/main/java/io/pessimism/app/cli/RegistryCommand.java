package io.pessimism.app.cli;

import io.pessimism.config.PessimismConfig;
import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "registry", mixinStandardHelpOptions = true,
        description = {"Run the embedded Confluent-compatible Schema Registry (dev and tests), keeping schemas "
                + "in the compacted topic <ns>._schemas; it listens where schema.registry.url points unless "
                + "--host/--port say otherwise.", "Single writer, dev only: production points schema.registry.url "
                + "at a real Confluent Schema Registry (or Karapace, Redpanda, Apicurio's Confluent API)."})
public final class RegistryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--host", description = "Address to bind (default: the host of schema.registry.url).")
    String host;

    @Option(names = "--port", description = "Port to listen on (default: the port of schema.registry.url).")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        PessimismConfig cfg = config.load();
        URI url = URI.create(cfg.schemaRegistryUrl());
        String storeTopic = cfg.topicNames().schemas();
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder()
                .bootstrapServers(cfg.kafkaBootstrapServers())
                .kafkaConfig(cfg.kafka().security())
                .storeTopic(storeTopic)
                .replicationFactor(cfg.kafkaReplicationFactor())
                .host(host != null ? host : url.getHost())
                .port(port != null ? port : (url.getPort() > 0 ? url.getPort() : 8081))
                .build()
                .start()) {
            StopSignal stop = new StopSignal("registry", registry);
            spec.commandLine().getOut().printf("schema registry listening on %s (schemas in topic %s)%n",
                    registry.url(), storeTopic);
            spec.commandLine().getOut().flush();
            stop.await();
        }
        return 0;
    }
}
