package io.pessimism.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    private static final String PID = "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block";
    private static final String PUUID = PID + ":::2b0e1f3c-4a5b-4c6d-8e7f-901a2b3c4d5e";

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aPipelinesLinesCarryItsPuuidAndItsPid() {
        LogContext.pipeline(PUUID);
        assertThat(MDC.get(LogContext.PUUID)).isEqualTo(PUUID);
        assertThat(MDC.get(LogContext.PIPELINE)).isEqualTo(PID);

        LogContext.pipeline(null);
        assertThat(MDC.getCopyOfContextMap()).as("null clears it").isNullOrEmpty();
    }

    @Test
    void aScopePutsBackWhatWasThereBefore() {
        LogContext.oracle("layer1", "geth_block");
        try (var scope = LogContext.forPipeline(PUUID)) {
            assertThat(MDC.get(LogContext.PUUID)).isEqualTo(PUUID);
            assertThat(MDC.get(LogContext.NETWORK)).isEqualTo("layer1");
        }
        assertThat(MDC.getCopyOfContextMap()).containsOnlyKeys(LogContext.NETWORK, LogContext.REGISTER);

        try (var scope = LogContext.forPipeline(null)) {
            assertThat(MDC.get(LogContext.PUUID)).isNull();
        }
        MDC.clear();
        try (var scope = LogContext.forPipeline(PUUID)) {
            assertThat(MDC.get(LogContext.PUUID)).isEqualTo(PUUID);
        }
        assertThat(MDC.getCopyOfContextMap()).isNullOrEmpty();
    }

    @Test
    void aKeyThatIsNoPuuidNamesNoPipeline() {
        LogContext.pipeline("layer1.geth_block");
        assertThat(MDC.get(LogContext.PUUID)).isEqualTo("layer1.geth_block");
        assertThat(MDC.get(LogContext.PIPELINE)).isNull();
    }

    @Test
    void carriedWorkLogsAsTheThreadThatHandedItOver() throws Exception {
        LogContext.oracle("layer2", "account_balance");
        AtomicReference<String> seen = new AtomicReference<>();
        Thread worker = new Thread(LogContext.carried(() -> seen.set(MDC.get(LogContext.NETWORK) + "."
                + MDC.get(LogContext.REGISTER))));
        worker.start();
        worker.join(10_000);
        assertThat(seen).hasValue("layer2.account_balance");
    }
}
