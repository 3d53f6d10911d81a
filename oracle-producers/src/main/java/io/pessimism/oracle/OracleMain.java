package io.pessimism.oracle;

import io.pessimism.network.Network;
import io.pessimism.oracle.geth.GethBlockOracle;
import io.pessimism.oracle.geth.OracleSettings;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one GethBlock oracle as its own process until it is stopped (SIGTERM/Ctrl-C: clean close) or
 * fails (exit code 1). The CLI's {@code pessimism oracles} builds the same {@link GethBlockOracle}
 * in-process; this entry exists for crash tests and for running an oracle alone.
 */
public final class OracleMain {

    private static final Logger LOG = LoggerFactory.getLogger(OracleMain.class);

    private OracleMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(OracleArgs.parse(args)));
    }

    /** The oracle the command line describes, writing to its network's block topic with the registry's serde. */
    public static GethBlockOracle oracle(OracleArgs args) {
        Topics topics = new Topics(new TopicNames(args.get("namespace")),
                new RestSchemaRegistryClient(args.get("registry-url")), args.number("retention-ms", -1));
        return new GethBlockOracle(settings(args), topics.blocks(Network.parse(args.get("network"))));
    }

    /** Builds the oracle's settings from the command line. */
    public static OracleSettings settings(OracleArgs args) {
        OracleSettings.Builder builder = OracleSettings.builder(Network.parse(args.get("network")),
                args.get("rpc-url"), args.get("bootstrap-servers"));
        builder.wsUrl(args.optional("ws-url"));
        builder.startHeight(args.number("start-height", 0));
        builder.batchSize((int) args.number("batch-size", 100));
        builder.concurrency((int) args.number("concurrency", 4));
        builder.confirmations((int) args.number("confirmations", 0));
        builder.reorgWindow((int) args.number("reorg-window", 128));
        builder.pollInterval(args.millis("poll-interval-ms", Duration.ofSeconds(1)));
        return builder.build();
    }

    /**
     * Runs the oracle until the JVM is asked to stop or the oracle ends.
     *
     * @return the process exit code: 0 stopped or done, 1 failed
     */
    public static int run(OracleArgs args) throws InterruptedException {
        GethBlockOracle oracle = oracle(args);
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
