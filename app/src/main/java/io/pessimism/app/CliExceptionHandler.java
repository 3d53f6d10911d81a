package io.pessimism.app;

import io.pessimism.config.ConfigException;
import picocli.CommandLine;

/**
 * Turns a failed command into one clear line on stderr (what failed and why) and an exit code,
 * instead of a stack trace; {@code PESSIMISM_DEBUG=1} keeps the trace for developers.
 */
final class CliExceptionHandler implements CommandLine.IExecutionExceptionHandler {

    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        String name = cmd.getCommandSpec().qualifiedName();
        cmd.getErr().println(name + ": " + describe(ex));
        if ("1".equals(System.getenv("PESSIMISM_DEBUG"))) {
            ex.printStackTrace(cmd.getErr());
        }
        return ex instanceof IllegalArgumentException || ex instanceof ConfigException ? EXIT_USAGE : EXIT_FAILURE;
    }

    private static String describe(Throwable ex) {
        StringBuilder sb = new StringBuilder(String.valueOf(ex.getMessage()));
        for (Throwable cause = ex.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !sb.toString().contains(cause.getMessage())) {
                sb.append(": ").append(cause.getMessage());
            }
        }
        return sb.toString();
    }
}
