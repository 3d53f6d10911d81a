package io.pessimism.app.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevBrokerTest {

    @TempDir
    Path dataDir;

    @Test
    void keepsItsTopicsAcrossARestartAndRefusesAutoCreation() throws Exception {
        int port = freePort();
        try (DevBroker broker = new DevBroker(dataDir, port)) {
            broker.start();
            try (Admin admin = admin(broker)) {
                admin.createTopics(Set.of(new NewTopic("dev.kept", 1, (short) 1))).all().get();
                String autoCreate = admin.describeConfigs(Set.of(new org.apache.kafka.common.config.ConfigResource(
                                org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1")))
                        .all().get().values().iterator().next().get("auto.create.topics.enable").value();
                assertThat(autoCreate).isEqualTo("false");
            }
        }
        try (DevBroker broker = new DevBroker(dataDir, port)) {
            broker.start();
            try (Admin admin = admin(broker)) {
                assertThat(admin.listTopics().names().get()).contains("dev.kept");
            }
        }
    }

    private static Admin admin(DevBroker broker) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return Admin.create(props);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }
}
