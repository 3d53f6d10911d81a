package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A service pointed at brokers that do not answer stops at once, naming them and the setting. */
class UnreachableBrokerTest {

    @ParameterizedTest
    @ValueSource(strings = {"etl", "oracles"})
    void aServiceStartedAgainstAnUnreachableBrokerNamesTheBootstrapServers(String command) {
        CommandLine cli = Main.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));

        // port 1 on loopback: nothing listens there, so the connection is refused at once
        int rc = cli.execute(command, "--bootstrap-servers", "127.0.0.1:1", "--set", "kafka.start-timeout=1s",
                "--set", "state.dir=" + System.getProperty("java.io.tmpdir") + "/pessimism-unreachable-test");

        assertThat(rc).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("pessimism " + command + ": Kafka brokers at 127.0.0.1:1 unreachable")
                .contains("(kafka.bootstrap.servers)");
    }
}
