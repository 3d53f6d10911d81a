package io.pessimism.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.config.LogFormat;
import io.pessimism.logging.LogContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The service's own {@code logback.xml}, loaded into a context of its own, as {@code log.format}
 * switches it: text lines show the pipeline or oracle of a line, JSON lines carry them under {@code mdc}.
 */
class LogSetupTest {

    private static final String PID = "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block";
    private static final String PUUID = PID + ":::2b0e1f3c-4a5b-4c6d-8e7f-901a2b3c4d5e";

    private final LoggerContext context = new LoggerContext();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream realStderr;

    @BeforeEach
    void configure() throws Exception {
        realStderr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8)); // the appenders write to System.err
        context.setMDCAdapter(MDC.getMDCAdapter()); // the MDC that LogContext writes, as the process's context has
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogSetup.class.getResource("/logback.xml"));
    }

    @AfterEach
    void restore() {
        MDC.clear();
        System.setErr(realStderr);
        context.stop();
    }

    @Test
    void textLinesShowThePipelineOrOracleOfALineAndNothingForOthers() {
        LogSetup.apply(context, LogFormat.TEXT);
        assertThat(root().getAppender("text")).as("the default").isNotNull();
        Logger log = context.getLogger("io.pessimism.example");

        try (var scope = LogContext.forPipeline(PUUID)) {
            log.info("about a pipeline");
        }
        LogContext.oracle("layer1", "geth_block");
        log.info("about an oracle");
        MDC.clear();
        log.info("about nothing");

        assertThat(lines()).hasSize(3);
        assertThat(lines().get(0)).contains(" INFO ").endsWith("example puuid=" + PUUID + " - about a pipeline");
        assertThat(lines().get(1)).endsWith("example oracle=layer1.geth_block - about an oracle");
        assertThat(lines().get(2)).endsWith("example - about nothing");
    }

    @Test
    void jsonSetOutsideTheEnvironmentReloadsTheFileAndEachLineIsAnObjectWithItsMdc() throws Exception {
        LogSetup.apply(context, LogFormat.JSON);

        assertThat(root().getAppender("json")).isNotNull();
        assertThat(root().getAppender("text")).as("one format at a time").isNull();
        assertThat(context.getLogger("org.apache.kafka").getLevel()).as("the rest of the file still holds")
                .hasToString("WARN");
        try (var scope = LogContext.forPipeline(PUUID)) {
            context.getLogger("io.pessimism.example").warn("block {} held", 7);
        }

        assertThat(lines()).hasSize(1);
        JsonNode line = new ObjectMapper().readTree(lines().get(0));
        assertThat(line.path("level").asText()).isEqualTo("WARN");
        assertThat(line.path("loggerName").asText()).isEqualTo("io.pessimism.example");
        assertThat(line.path("formattedMessage").asText()).isEqualTo("block 7 held");
        assertThat(line.path("mdc").path("puuid").asText()).isEqualTo(PUUID);
        assertThat(line.path("mdc").path("pipeline").asText()).isEqualTo(PID);
        assertThat(line.has("timestamp")).isTrue();

        LogSetup.apply(context, LogFormat.TEXT);
        assertThat(root().getAppender("text")).as("and back").isNotNull();
        assertThat(root().getAppender("json")).isNull();
    }

    private Logger root() {
        return context.getLogger(Logger.ROOT_LOGGER_NAME);
    }

    private List<String> lines() {
        return stderr.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
}
