package io.pessimism.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.pessimism.config.LogFormat;
import io.pessimism.config.Settings;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.format} to logback once the configuration is loaded. {@code logback.xml}
 * picks its root appender by the variable {@code PESSIMISM_LOG_FORMAT}, so a format set in the
 * environment holds from the first line; one set in a file or a flag (or spelled in capitals) is
 * applied here by reloading {@code logback.xml} with that variable as a context property, which
 * logback reads before the environment. One configuration file, read the same way both times.
 */
public final class LogSetup {

    /** The variable {@code logback.xml} names its root appender with. */
    static final String FORMAT_VARIABLE = Settings.LOG_FORMAT.envVar();
    /** The context property {@code logback.xml} sets, so its configuration is told from a test's or an operator's. */
    private static final String CONFIGURED_BY = "pessimism.logback";
    private static final String SERVICE = "service";

    private LogSetup() {
    }

    /**
     * Makes the process's logback write {@code format}. Nothing to do when it does already, or when
     * logging was configured otherwise than by the service's {@code logback.xml} (tests, or an
     * operator's own {@code -Dlogback.configurationFile}, which then decides).
     */
    public static void apply(LogFormat format) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, format);
        }
    }

    /** Makes {@code context} write {@code format} when it was configured from the service's {@code logback.xml}. */
    static void apply(LoggerContext context, LogFormat format) {
        URL configuration = LogSetup.class.getResource("/logback.xml");
        if (configuration == null || !SERVICE.equals(context.getProperty(CONFIGURED_BY))) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(format.label()) != null) {
            return;
        }
        context.reset(); // drops the context's properties too: set ours after it
        context.putProperty(FORMAT_VARIABLE, format.label());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(configuration);
        } catch (JoranException e) {
            throw new IllegalStateException("could not reload " + configuration + " for log.format " + format + ": "
                    + e.getMessage(), e);
        }
        if (root.getAppender(format.label()) == null) {
            throw new IllegalStateException(configuration + " has no root appender named " + format.label()
                    + " (log.format)");
        }
    }
}
