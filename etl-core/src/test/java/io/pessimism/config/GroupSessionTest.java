package io.pessimism.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupSessionTest {

    @Test
    void heartbeatsFourTimesATimeoutAndAtMostEveryThreeSeconds() {
        assertThat(new GroupSession(Duration.ofSeconds(6)).heartbeat()).isEqualTo(Duration.ofMillis(1_500));
        assertThat(new GroupSession(Duration.ofSeconds(10)).heartbeat()).isEqualTo(Duration.ofMillis(2_500));
        assertThat(new GroupSession(Duration.ofSeconds(45)).heartbeat()).as("Kafka's default")
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void givesAConsumerBothProperties() {
        assertThat(new GroupSession(Duration.ofSeconds(6)).consumerProperties()).isEqualTo(Map.of(
                "session.timeout.ms", 6_000, "heartbeat.interval.ms", 1_500));
    }

    @Test
    void refusesATimeoutBelowOneSecond() {
        assertThatThrownBy(() -> new GroupSession(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 s, was PT0.5S");
    }

    @Test
    void theSettingsGiveTheServicesTheirSessions() {
        PessimismConfig config = PessimismConfig.defaults(Map.of("oracles.lease-timeout", "7s",
                "pipelines.session-timeout", "8s"));
        assertThat(config.oracleLeaseSession().timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(config.pipelineSession().timeout()).isEqualTo(Duration.ofSeconds(8));
        assertThat(PessimismConfig.defaults(Map.of()).oracleLeaseSession().timeout()).isEqualTo(Duration.ofSeconds(10));
    }
}
