package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.topic.Topic;
import java.time.Duration;
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
    private final Topic<String, Block> topic;
    private final NodeClient node;
    private final GethBlockRoutine routine;
    private final Thread thread;

    /** @param topic where the blocks go: {@code Topics.blocks(network)} for the live oracle */
    public GethBlockOracle(OracleSettings settings, Topic<String, Block> topic) {
        this.settings = settings;
        this.topic = topic;
        this.node = NodeClient.connect(settings.rpcUrl(), settings.network().label(),
                NodeHttpClients.create(Duration.ofSeconds(5), settings.requestTimeout(), settings.concurrency() + 2));
        this.routine = new GethBlockRoutine(settings, node, topic);
        this.thread = new Thread(routine, "oracle-" + topic.name());
    }

    public OracleSettings settings() {
        return settings;
    }

    public Topic<String, Block> topic() {
        return topic;
    }

    @Override
    public void start() {
        LOG.info("starting the GethBlock oracle of {} from {} into {}", settings.network(), settings.rpcUrl(),
                topic.name());
        thread.start();
    }

    @Override
    public OracleStatus status() {
        return routine.status();
    }

    /** Where this instance's time went so far, per stage (for the backfill benchmark). */
    public StageTimes stageTimes() {
        return routine.stageTimes();
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
                    LOG.warn("{}: the oracle did not stop within {}; interrupting it", topic.name(), STOP_GRACE);
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
