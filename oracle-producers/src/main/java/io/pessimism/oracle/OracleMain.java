package io.pessimism.oracle;

import io.pessimism.config.ContractCreations;
import io.pessimism.config.Settings;
import io.pessimism.network.Network;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one catalogued oracle ({@code --register}, the GethBlock oracle by default) on one network as
 * its own process until it is stopped (SIGTERM/Ctrl-C: clean close) or fails (exit code 1). The CLI's
 * {@code pessimism oracles} builds the same routines in-process from the same {@link OracleCatalog};
 * this entry exists for crash tests and for running an oracle alone.
 */
public final class OracleMain {

    private static final Logger LOG = LoggerFactory.getLogger(OracleMain.class);

    private OracleMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(OracleArgs.parse(args), OracleCatalog.standard()));
    }

    /** The routine the command line describes, from the standard catalogue. */
    public static ReadRoutine oracle(OracleArgs args) {
        return oracle(args, OracleCatalog.standard());
    }

    /** The routine of the command line's oracle, writing its topic with the registry's serdes; not started. */
    public static ReadRoutine oracle(OracleArgs args, OracleCatalog catalog) {
        OracleDefinition definition = catalog.get(args.register());
        return definition.readRoutine(context(args, definition));
    }

    /** What the command line's oracle is built from. */
    static OracleContext context(OracleArgs args, OracleDefinition definition) {
        long retentionMs = args.number("retention-ms").orElse(Settings.ORACLE_TOPIC_RETENTION_MS.declaredDefault());
        Topics topics = new Topics(new TopicNames(args.get("namespace")),
                new RestSchemaRegistryClient(args.get("registry-url")), retentionMs);
        OracleSettings settings = settings(args);
        return new OracleContext(new OracleId(settings.network(), definition.register()), settings, topics);
    }

    /** Builds the oracle's settings from the command line: a flag left out keeps the declared default. */
    public static OracleSettings settings(OracleArgs args) {
        OracleSettings.Builder builder = OracleSettings.builder(Network.parse(args.get("network")),
                args.get("rpc-url"), args.get("bootstrap-servers"));
        builder.wsUrl(args.optional("ws-url")); // declared optional: unset polls
        args.number("start-height").ifPresent(builder::startHeight);
        args.integer("batch-size").ifPresent(builder::batchSize);
        args.integer("concurrency").ifPresent(builder::concurrency);
        args.integer("confirmations").ifPresent(builder::confirmations);
        args.integer("reorg-window").ifPresent(builder::reorgWindow);
        args.millis("poll-interval-ms").ifPresent(builder::pollInterval);
        args.optional("contract-creations").map(OracleMain::contractCreations).ifPresent(builder::contractCreations);
        return builder.build();
    }

    private static ContractCreations contractCreations(String text) {
        try {
            return ContractCreations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--contract-creations " + text + " " + e.getMessage(), e);
        }
    }

    /**
     * Runs the oracle until the JVM is asked to stop or the oracle ends.
     *
     * @return the process exit code: 0 stopped or done, 1 failed
     */
    public static int run(OracleArgs args, OracleCatalog catalog) throws InterruptedException {
        ReadRoutine oracle = oracle(args, catalog);
        Thread hook = new Thread(oracle::close, "oracle-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        oracle.start();
        while (!oracle.awaitTermination(Duration.ofSeconds(10))) {
            OracleStatus status = oracle.status();
            LOG.info("{}: {} at {} (node {}, lag {})", status.topic(), status.state(), status.oracleHead(),
                    status.nodeHead(), status.lag());
        }
        OracleStatus last = oracle.status();
        oracle.close();
        return last.state() == OracleState.FAILED ? 1 : 0;
    }
}
