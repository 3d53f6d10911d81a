package io.pessimism.logging;

import java.util.Map;
import org.slf4j.MDC;

/**
 * What a log line is about, in SLF4J's MDC: {@code puuid} and {@code pipeline} (its PID) for a
 * pipeline's lines, {@code network} and {@code register} for an oracle's. The logback pattern shows
 * them and the JSON encoder writes them as fields, so an operator can follow one pipeline through
 * every thread that works for it.
 *
 * <p>Two ways to set them: {@link #pipeline} for a thread that serves only that pipeline for its
 * whole life (a branch's lifecycle and stream threads), and a {@link Scope} around work about one
 * pipeline on a shared thread (the control plane, the status writer's callbacks).
 */
public final class LogContext {

    public static final String PUUID = "puuid";
    public static final String PIPELINE = "pipeline";
    public static final String NETWORK = "network";
    public static final String REGISTER = "register";

    // A PipelinePID contains "::" but never ":::": the PUUID is <PID>:::<uuid> (id.PUUID).
    private static final String PUUID_SEPARATOR = ":::";

    private LogContext() {
    }

    /** Sets this thread's pipeline for good; null clears it. */
    public static void pipeline(String puuid) {
        put(PUUID, puuid);
        put(PIPELINE, pidOf(puuid));
    }

    /** Sets this thread's oracle for good. */
    public static void oracle(String network, String register) {
        put(NETWORK, network);
        put(REGISTER, register);
    }

    /** The pipeline's keys until {@link Scope#close()}, which puts back what was there before; null sets none. */
    public static Scope forPipeline(String puuid) {
        Scope scope = new Scope(MDC.getCopyOfContextMap());
        pipeline(puuid);
        return scope;
    }

    /**
     * {@code task} run with the MDC of the thread calling this: for a thread factory called on the
     * thread that owns the work (an oracle's fetch pool), so its workers log as their oracle.
     */
    public static Runnable carried(Runnable task) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        return () -> {
            if (context != null) {
                MDC.setContextMap(context);
            }
            task.run();
        };
    }

    /** The PID part of a PUUID ({@code <PID>:::<uuid>}), or null when it is not one. */
    static String pidOf(String puuid) {
        if (puuid == null) {
            return null;
        }
        int at = puuid.lastIndexOf(PUUID_SEPARATOR);
        return at < 0 ? null : puuid.substring(0, at);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** Puts back the MDC as it was when the scope opened. */
    public static final class Scope implements AutoCloseable {

        private final Map<String, String> previous;

        private Scope(Map<String, String> previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.clear();
            } else {
                MDC.setContextMap(previous);
            }
        }
    }
}
