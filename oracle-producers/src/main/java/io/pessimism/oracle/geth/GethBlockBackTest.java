package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.BackTestRoutine;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.topic.TopicNames;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;

/**
 * The GethBlock oracle's BackTestRoutine: the same fetching, ordering, parent-hash checks and
 * transactions as the live routine, over a bounded range and into the topic it is given (a backtest's
 * {@code <prefix>.source}), with a transactional id of that topic so a rerun resumes.
 */
public final class GethBlockBackTest implements BackTestRoutine {

    private final OracleSettings base;
    private final Serde<Block> serde;

    /** @param base the network's oracle settings; topic and range are replaced per run */
    public GethBlockBackTest(OracleSettings base, Serde<Block> serde) {
        this.base = base;
        this.serde = serde;
    }

    @Override
    public OracleStatus run(long startHeight, long endHeight, String topic) throws InterruptedException {
        OracleSettings settings = new OracleSettings(base.network(), base.rpcUrl(), base.wsUrl(),
                base.requestTimeout(), base.bootstrapServers(), TopicNames.requireTopic(topic), "pessimism-oracle." + topic, startHeight, endHeight,
                base.pollInterval(), base.confirmations(), base.batchSize(), base.concurrency(), base.reorgWindow(),
                base.maxBlocksPerTransaction(), base.maxTransactionTime(), base.backoffInitial(), base.backoffMax(),
                base.topicSpec(), base.producerOverrides());
        GethBlockOracle oracle = new GethBlockOracle(settings, serde);
        oracle.start();
        try {
            while (!oracle.awaitTermination(Duration.ofSeconds(1))) {
                // the routine ends by itself when done or failed
            }
            return oracle.status();
        } finally {
            oracle.close();
        }
    }
}
