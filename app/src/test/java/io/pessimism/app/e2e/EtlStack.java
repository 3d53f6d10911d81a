package io.pessimism.app.e2e;

import static org.awaitility.Awaitility.await;

import io.pessimism.api.EtlService;
import io.pessimism.app.cli.EtlCommand;
import io.pessimism.app.service.OracleService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace of pessimism wired as {@code pessimism dev} wires it, on a shared broker, registry
 * and layer1 chain: the layer1 oracles of the standard catalogue (GethBlock, AccountBalance), then any number of ETL service instances (each its
 * own state directory and REST port, as separate deployments would have). Closes in reverse order.
 */
final class EtlStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtlStack.class);

    /** Where the services of a stack connect to. */
    record Endpoints(String bootstrapServers, String registryUrl, String layer1RpcUrl, String layer1WsUrl) {
    }

    private final String namespace;
    private final Endpoints endpoints;
    private final Path stateRoot;
    private final Map<String, String> overrides;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private OracleService oracles;

    private EtlStack(String namespace, Endpoints endpoints, Path stateRoot, Map<String, String> overrides) {
        this.namespace = namespace;
        this.endpoints = endpoints;
        this.stateRoot = stateRoot;
        this.overrides = Map.copyOf(overrides);
    }

    /** Starts the namespace's layer1 oracle; ETL instances follow with {@link #startEtl}. */
    static EtlStack start(String namespace, Endpoints endpoints, Path stateRoot) {
        return start(namespace, endpoints, stateRoot, Map.of());
    }

    /** As {@link #start(String, Endpoints, Path)}, every process with these settings on top of the stack's. */
    static EtlStack start(String namespace, Endpoints endpoints, Path stateRoot, Map<String, String> overrides) {
        EtlStack stack = new EtlStack(namespace, endpoints, stateRoot, overrides);
        try {
            PessimismConfig config = stack.config("oracles");
            stack.oracles = new OracleService(config, ServiceContext.of(config).topics()).start();
            stack.started.push(stack.oracles);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Starts one more ETL service instance (control plane, branch runtime, REST API) in this namespace. */
    EtlService startEtl(String instance) {
        EtlService etl = EtlCommand.start(ServiceContext.of(config(instance)));
        started.push(etl);
        return etl;
    }

    /**
     * Waits until every oracle of the stack (GethBlock and AccountBalance) runs and follows its
     * source, so blocks mined from now on reach every pipeline. The AccountBalance oracle's first
     * start follows the block topic from its end, and it is LIVE only once it has read every block
     * up to the interest horizon, which the control plane writes once a pipeline exists: call this
     * after creating one.
     */
    void awaitOraclesLive(Duration atMost) {
        await("the oracles of namespace " + namespace + " are LIVE").atMost(atMost)
                .until(() -> oracles.statuses(), statuses -> statuses.keySet().containsAll(oracles.oracles())
                        && statuses.values().stream().map(OracleStatus::state).allMatch(OracleState.LIVE::equals));
    }

    /**
     * Stops the stack's oracles (they leave their leases; each routine ends where it committed) and
     * starts them again, as a restarted {@code pessimism oracles} process would.
     */
    void restartOracles() {
        oracles.close();
        started.remove(oracles);
        PessimismConfig config = config("oracles");
        oracles = new OracleService(config, ServiceContext.of(config).topics()).start();
        started.push(oracles);
    }

    String namespace() {
        return namespace;
    }

    /** The stack's oracle service (every oracle of the namespace runs in it). */
    OracleService oracles() {
        return oracles;
    }

    /** The settings of one process of this stack, as docs/configuration.md names them. */
    private PessimismConfig config(String instance) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("namespace", namespace);
        settings.put("kafka.bootstrap.servers", endpoints.bootstrapServers());
        settings.put("schema.registry.url", endpoints.registryUrl());
        settings.put("state.dir", stateRoot.resolve(namespace).resolve(instance).toString());
        settings.put("api.port", "0");
        settings.put("networks.layer1.rpc-url", endpoints.layer1RpcUrl());
        settings.put("networks.layer1.ws-url", endpoints.layer1WsUrl());
        settings.put("networks.layer1.poll-interval", "100ms");
        settings.put("networks.layer2.enabled", "false");
        settings.putAll(overrides);
        return PessimismConfig.defaults(settings);
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                log.warn("closing {} of namespace {} failed", next, namespace, e);
            }
        }
    }
}
