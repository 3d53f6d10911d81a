package io.pessimism.oracle.support;

import io.pessimism.avro.Block;
import io.pessimism.network.Network;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;

/** The production block topic (name, Confluent-wire serde, configs) over a registry of the test's choice. */
public final class TestTopics {

    private TestTopics() {
    }

    /** With an in-memory registry: writer and reader must share the returned topic's serde. */
    public static Topic<String, Block> blocks(String namespace, Network network) {
        return blocks(namespace, network, InProcessSchemaRegistry.inMemory());
    }

    public static Topic<String, Block> blocks(String namespace, Network network, SchemaRegistryClient registry) {
        return new Topics(new TopicNames(namespace), registry, -1).blocks(network);
    }
}
