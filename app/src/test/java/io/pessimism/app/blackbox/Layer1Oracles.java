package io.pessimism.app.blackbox;

import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.topic.Topics;
import java.util.Map;

/**
 * The oracles of layer1 alone ({@code pessimism oracles} with layer2 disabled), run in the test's
 * JVM beside an ETL in its own: when the ETL is killed, they keep the block topic going.
 */
public final class Layer1Oracles {

    private Layer1Oracles() {
    }

    /** The configuration of namespace {@code namespace}'s layer1 oracles, polling the node every 100 ms. */
    public static PessimismConfig config(String namespace, String bootstrapServers, String registryUrl,
            String rpcUrl) {
        return PessimismConfig.defaults(Map.of(
                "namespace", namespace,
                "kafka.bootstrap.servers", bootstrapServers,
                "schema.registry.url", registryUrl,
                "networks.layer1.rpc-url", rpcUrl,
                "networks.layer1.poll-interval", "100ms",
                "networks.layer2.enabled", "false"));
    }

    /** Starts them; close the service to stop them. */
    public static OracleService start(PessimismConfig config) {
        return new OracleService(config, topics(config)).start();
    }

    /** The topics of {@code config}'s namespace. */
    public static Topics topics(PessimismConfig config) {
        return ServiceContext.of(config).topics();
    }
}
