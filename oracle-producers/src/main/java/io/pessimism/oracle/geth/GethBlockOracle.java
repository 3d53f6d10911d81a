package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GethBlock oracle's live routine: blocks with their logs, in height order, exactly once, into
 * {@code <ns>.<network>.geth_block}, following the node's head. Start it, read its {@link #status()},
 * close it. With {@link OracleSettings#endHeight()} set it stops by itself after that height.
 */
public final class GethBlockOracle implements ReadRoutine {

    private static final Logger LOG = LoggerFactory.getLogger(GethBlockOracle.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final OracleSettings settings;
    private final NodeClient node;
    private final GethBlockRoutine routine;
    private final Thread thread;

    public GethBlockOracle(OracleSettings settings, Serde<Block> serde) {
        this.settings = settings;
        this.node = NodeClient.connect(settings.rpcUrl(), settings.network().label(),
                NodeHttpClients.create(Duration.ofSeconds(5), settings.requestTimeout(), settings.concurrency() + 2));
        this.routine = new GethBlockRoutine(settings, node, serde);
        this.thread = new Thread(routine, "oracle-" + settings.topic());
    }

    public OracleSettings settings() {
        return settings;
    }

    @Override
    public void start() {
        LOG.info("starting the GethBlock oracle of {} from {} into {}", settings.network(), settings.rpcUrl(),
                settings.topic());
        thread.start();
    }

    @Override
    public OracleStatus status() {
        return routine.status();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    @Override
    public void close() {
        routine.requestStop();
        try {
            if (thread.isAlive()) {
                thread.join(STOP_GRACE.toMillis());
                if (thread.isAlive()) {
                    LOG.warn("{}: the oracle did not stop within {}; interrupting it", settings.topic(), STOP_GRACE);
                    thread.interrupt();
                    thread.join(STOP_GRACE.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            node.close();
        }
    }
}
