package io.pessimism.app.service;

import io.pessimism.config.PessimismConfig;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.topic.Topics;

/** What every service of a process shares: the configuration, one registry client (one cache), the topics. */
public record ServiceContext(PessimismConfig config, SchemaRegistryClient registry, Topics topics) {

    public static ServiceContext of(PessimismConfig config) {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl());
        return new ServiceContext(config, registry,
                new Topics(config.topicNames(), registry, config.oracleTopicRetentionMs()));
    }
}
