package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;
import io.pessimism.oracle.BackTestRoutine;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.topic.Topic;

/**
 * The GethBlock oracle's BackTestRoutine: the same fetching, ordering, parent-hash checks and
 * transactions as the live routine, over a bounded range and into the topic it is given (a backtest's
 * {@code <prefix>.source}), with a transactional id of that topic so a rerun resumes.
 */
public final class GethBlockBackTest implements BackTestRoutine {

    private final OracleSettings base;
    private final Topic<String, Block> blocks;

    /**
     * @param base the network's oracle settings; the range is replaced per run
     * @param blocks the network's block topic, whose serdes and configs the backtest's topic takes
     */
    public GethBlockBackTest(OracleSettings base, Topic<String, Block> blocks) {
        this.base = base;
        this.blocks = blocks;
    }

    @Override
    public OracleStatus run(long startHeight, long endHeight, String topic) throws InterruptedException {
        Topic<String, Block> target = new Topic<>(topic, blocks.keySerde(), blocks.valueSerde(), 1, blocks.configs());
        return BackTestRoutine.untilItEnds(new GethBlockOracle(base.bounded(startHeight, endHeight), target));
    }
}
