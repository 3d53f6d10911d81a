package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.schemaregistry.EmbeddedSchemaRegistry;
import io.pessimism.testkit.anvil.AnvilExtension;
import io.pessimism.testkit.chain.ChainDriver;
import io.pessimism.testkit.kafka.KafkaClients;
import io.pessimism.testkit.kafka.KafkaClusterExtension;
import io.pessimism.testkit.process.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** `pessimism oracles` as an operator runs it: a separate JVM configured by env and flags, stopped by SIGTERM. */
class OraclesCommandTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleNode();

    @RegisterExtension
    static final AnvilExtension LAYER1 = AnvilExtension.create();

    @TempDir
    Path tmp;

    @Test
    void publishesEveryBlockOfTheConfiguredNetworkAndStopsCleanly() throws Exception {
        try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.builder().inMemory().port(0).build().start();
             ChainDriver chain = ChainDriver.connect(LAYER1.httpUrl())) {
            chain.mine(20);
            ChildProcess oracles = ChildProcess.start("pessimism oracles", List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.pessimism.avro",
                    "-cp", System.getProperty("java.class.path"),
                    "io.pessimism.app.Main", "oracles",
                    "--bootstrap-servers", KAFKA.bootstrapServers(),
                    "--schema-registry-url", registry.url(),
                    "--namespace", "orcli",
                    "--set", "networks.layer2.enabled=false",
                    "--set", "networks.layer1.rpc-url=" + LAYER1.httpUrl(),
                    "--set", "networks.layer1.poll-interval=100ms"), tmp.resolve("oracles.log"));
            try {
                long head = chain.blockNumber();
                oracles.awaitReady(Duration.ofSeconds(60), () -> blockKeys().size() > head);

                assertThat(blockKeys()).as("every height from genesis to the head once, in order")
                        .containsExactlyElementsOf(LongStream.rangeClosed(0, head).mapToObj(Long::toString).toList());

                assertThat(KafkaClients.readAll(KAFKA.bootstrapServers(), "orcli.oracle-status",
                        IsolationLevel.READ_COMMITTED)).as("the oracle's status is published for the ETL to read")
                        .extracting(r -> r.key()).contains("layer1.geth_block");

                oracles.stop(Duration.ofSeconds(30));
                assertThat(oracles.isAlive()).as("stopped within the grace period of SIGTERM").isFalse();
            } finally {
                oracles.kill();
            }
            assertThat(oracles.logTail()).contains("oracle layer1.geth_block started");
        }
    }

    private static List<String> blockKeys() {
        return KafkaClients.readAll(KAFKA.bootstrapServers(), "orcli.layer1.geth_block", IsolationLevel.READ_COMMITTED)
                .stream().map(r -> r.key()).toList();
    }
}
