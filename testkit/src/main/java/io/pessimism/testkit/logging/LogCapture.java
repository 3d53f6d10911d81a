package io.pessimism.testkit.logging;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Captures what the test JVM's logback writes, from every thread, while open. Each event is
 * captured as it is appended: its thread name and MDC are read lazily by logback, so reading them
 * later, on the test's thread, would see the test's own.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.root()) {
 *     ...
 *     assertThat(logs.events()).anySatisfy(e -> assertThat(e.getMDCPropertyMap()).containsKey("puuid"));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // thread name, MDC and message, as of now
            events.add(event);
        }
    };

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.setContext(logger.getLoggerContext());
        appender.setName("capture");
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures every event that reaches the root logger (at the levels {@code logback-test.xml} sets). */
    public static LogCapture root() {
        return new LogCapture((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
    }

    /** The events so far, in the order they were appended. */
    public List<ILoggingEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
