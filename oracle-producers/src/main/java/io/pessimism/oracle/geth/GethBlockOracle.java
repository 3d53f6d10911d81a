package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleRunner;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.oracle.rpc.NodeHttpClients;
import io.pessimism.registry.Registers;
import io.pessimism.topic.Topic;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GethBlock oracle's live routine: blocks with their logs, in height order, exactly once, into
 * {@code <ns>.<network>.geth_block}, following the node's head. Start it, read its {@link #status()},
 * close it. With {@link OracleSettings#endHeight()} set it stops by itself after that height. Its
 * sessions ({@link GethBlockRoutine}) run on the shared {@link OracleRunner}.
 */
public final class GethBlockOracle implements ReadRoutine {

    private static final Logger LOG = LoggerFactory.getLogger(GethBlockOracle.class);

    private final OracleSettings settings;
    private final Topic<String, Block> topic;
    private final NodeClient node;
    private final GethBlockRoutine routine;
    private final OracleRunner runner;

    /** @param topic where the blocks go: {@code Topics.blocks(network)} for the live oracle */
    public GethBlockOracle(OracleSettings settings, Topic<String, Block> topic) {
        this.settings = settings;
        this.topic = topic;
        this.node = NodeClient.connect(settings.rpcUrl(), settings.network().label(),
                NodeHttpClients.create(Duration.ofSeconds(5), settings.requestTimeout(), settings.concurrency() + 2),
                settings.contractCreations());
        AtomicReference<OracleStatus> status = new AtomicReference<>(
                OracleStatus.starting(settings.network().label(), topic.name()));
        this.routine = new GethBlockRoutine(settings, node, topic, status);
        this.runner = new OracleRunner(topic.name(), Registers.GETH_BLOCK.name(), status, settings.backoff(), routine);
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
        runner.start();
    }

    @Override
    public OracleStatus status() {
        return runner.status();
    }

    /** Where this instance's time went so far, per stage (for the backfill benchmark). */
    public StageTimes stageTimes() {
        return routine.stageTimes();
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return runner.awaitTermination(timeout);
    }

    @Override
    public void close() {
        try {
            runner.close();
        } finally {
            node.close();
        }
    }
}
