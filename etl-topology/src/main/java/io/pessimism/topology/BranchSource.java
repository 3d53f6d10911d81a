package io.pessimism.topology;

import io.pessimism.network.Network;
import io.pessimism.topic.Topic;
import java.util.Objects;

/**
 * One oracle topic a branch reads. The trigger source is the one a pipeline's heights count on
 * (its start and end heights, its progress); an aggregator's other sources start where their
 * block time meets the trigger's (see {@code pipeline.StartPosition}).
 *
 * @param topic   the oracle's shared topic
 * @param network the network the oracle follows
 * @param trigger whether this is the branch's trigger source
 */
public record BranchSource(Topic<String, ?> topic, Network network, boolean trigger) {

    public BranchSource {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(network, "network");
    }
}
