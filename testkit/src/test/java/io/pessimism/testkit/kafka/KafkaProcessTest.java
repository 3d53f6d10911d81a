package io.pessimism.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaProcessTest {

    private static final String TOPIC = "kit.crash";

    @TempDir
    Path dataDir;

    @Test
    void committedDataSurvivesSigkillAndOpenOrAbortedTransactionsStayInvisible() throws Exception {
        try (KafkaProcess kafka = KafkaProcess.create(dataDir).start()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = kafka.admin()) {
                admin.createTopics(Set.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            try (var committer = KafkaClients.transactionalProducer(bootstrap, "crash-committer")) {
                committer.beginTransaction();
                committer.send(new ProducerRecord<>(TOPIC, "1", "committed-1"));
                committer.send(new ProducerRecord<>(TOPIC, "2", "committed-2"));
                committer.commitTransaction();
                committer.beginTransaction();
                committer.send(new ProducerRecord<>(TOPIC, "3", "aborted")).get();
                committer.abortTransaction();
            }
            var open = KafkaClients.transactionalProducer(bootstrap, "crash-open");
            open.beginTransaction();
            open.send(new ProducerRecord<>(TOPIC, "4", "open-at-crash")).get();

            long pidBefore = kafka.processId();
            kafka.kill();
            assertThat(kafka.isRunning()).isFalse();
            assertThat(ProcessHandle.of(pidBefore)).isEmpty();
            open.close(Duration.ZERO);

            kafka.restart();
            assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
            // every record reached the log before the kill; only isolation hides some of them
            assertThat(KafkaClients.readValues(bootstrap, TOPIC, IsolationLevel.READ_UNCOMMITTED))
                    .containsExactly("committed-1", "committed-2", "aborted", "open-at-crash");
            // a new incarnation of the open producer fences it: its transaction is aborted
            try (var successor = KafkaClients.transactionalProducer(bootstrap, "crash-open")) {
                successor.beginTransaction();
                successor.send(new ProducerRecord<>(TOPIC, "5", "after-restart"));
                successor.commitTransaction();
            }
            assertThat(KafkaClients.readValues(bootstrap, TOPIC, IsolationLevel.READ_COMMITTED))
                    .containsExactly("committed-1", "committed-2", "after-restart");

            kafka.restart(); // graceful this time: controlled shutdown, then the same data again
            assertThat(kafka.processId()).isNotEqualTo(pidBefore);
            assertThat(KafkaClients.readValues(bootstrap, TOPIC, IsolationLevel.READ_COMMITTED))
                    .containsExactly("committed-1", "committed-2", "after-restart");
        }
        assertThat(ProcessHandle.allProcesses().anyMatch(p -> p.info().arguments()
                .map(args -> String.join(" ", args).contains(dataDir.toString())).orElse(false)))
                .as("no Kafka process left on %s after close()", dataDir).isFalse();
    }

    @Test
    void aFailedStartReportsTheTailOfTheNodeLog() throws Exception {
        KafkaProcess kafka = KafkaProcess.create(dataDir);
        int brokerPort = Integer.parseInt(kafka.bootstrapServers().substring("127.0.0.1:".length()));
        // someone else holds the broker port: the node must fail to bind and exit
        try (ServerSocket squatter = new ServerSocket(brokerPort, 1, InetAddress.getLoopbackAddress())) {
            assertThat(squatter.isBound()).isTrue();
            assertThatThrownBy(kafka::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(kafka.logFile().toString())
                    .hasMessageContaining("Address already in use");
            assertThat(kafka.isRunning()).isFalse();
        } finally {
            kafka.close();
        }
    }
}
