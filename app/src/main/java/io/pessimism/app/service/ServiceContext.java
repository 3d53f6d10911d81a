package io.pessimism.app.service;

import io.pessimism.config.PessimismConfig;
import io.pessimism.schemaregistry.RestSchemaRegistryClient;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.topic.BrokerCheck;
import io.pessimism.topic.Topics;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** What every service of a process shares: the configuration, one registry client (one cache), the topics. */
public record ServiceContext(PessimismConfig config, SchemaRegistryClient registry, Topics topics) {

    public static ServiceContext of(PessimismConfig config) {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(config.schemaRegistryUrl(),
                config.schemaRegistryUserInfo());
        return new ServiceContext(config, registry,
                new Topics(config.topicNames(), registry, config.oracleTopicRetentionMs()));
    }

    /**
     * Fails naming the bootstrap servers and {@code kafka.bootstrap.servers} unless the brokers
     * answer within {@code kafka.start-timeout}: a service's first client call would otherwise
     * fail a minute later with a timeout that names neither.
     */
    public ServiceContext requireBrokers() {
        Properties props = config.kafka().asProperties();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.namespace() + ".broker-check");
        // the admin's own call timeout bounds close() too, which otherwise waits out the default minute
        int timeout = (int) config.kafkaStartTimeout().toMillis();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        Admin admin = Admin.create(props);
        try {
            BrokerCheck.require(admin, config.kafkaBootstrapServers(), config.kafkaStartTimeout());
        } finally {
            admin.close(Duration.ZERO);
        }
        return this;
    }
}
