package io.pessimism.oracle.balance;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.topic.Topic;
import io.pessimism.topic.Topics;
import java.util.Objects;

/**
 * The topics of one AccountBalance oracle: the block topic that drives it, the shared address state
 * it serves, and its output. Its consumer group on the block topic is named after its output, like
 * its transactional id, so the offsets it commits in its transactions belong to that output alone.
 */
public record BalanceTopics(Topic<String, Block> blocks, Topic<String, AddressInterest> state,
        Topic<String, AccountBalance> output) {

    public BalanceTopics {
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(output, "output");
    }

    /** The live oracle's topics on {@code network}: {@code <ns>.<network>.geth_block} → {@code <ns>.<network>.account_balance}. */
    public static BalanceTopics of(Topics topics, Network network) {
        return new BalanceTopics(topics.blocks(network), topics.state(), topics.balances(network));
    }

    /** The same inputs into another output topic (a benchmark pass, a backtest's source). */
    public BalanceTopics into(String outputTopic) {
        return new BalanceTopics(blocks, state, new Topic<>(outputTopic, output.keySerde(), output.valueSerde(),
                output.partitions(), output.configs()));
    }

    /** The consumer group whose committed offsets on {@link #blocks} say which blocks the output holds. */
    public String group() {
        return OracleProducers.transactionalId(output.name());
    }
}
