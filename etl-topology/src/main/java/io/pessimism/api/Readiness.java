package io.pessimism.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The checks behind {@code GET /ready} (the ETL's and the oracle service's): each says why it
 * fails, or nothing when it holds. {@code /health} is liveness and asks none of them.
 */
public final class Readiness {

    /** What every check that holds says. */
    public static final String OK = "ok";

    /** One named check; {@code failure} is empty when it holds. */
    public record Check(String name, Supplier<Optional<String>> failure) {
    }

    /**
     * Every check's result, in order: {@link #OK} or why it fails.
     *
     * @param checks check name to result
     */
    public record Report(Map<String, String> checks) {

        public Report {
            checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }

        public boolean ready() {
            return checks.values().stream().allMatch(OK::equals);
        }

        /** {@code name: why} of each failing check. */
        public List<String> failing() {
            return checks.entrySet().stream().filter(e -> !OK.equals(e.getValue()))
                    .map(e -> e.getKey() + ": " + e.getValue()).toList();
        }

        /**
         * The JSON body: {@code {"status":"ready","checks":{…}}}, or an RFC 9457 problem (503) whose
         * detail joins the failures and whose extension member {@code checks} holds every result.
         *
         * @param path the request path, the problem's instance
         */
        public Map<String, Object> body(String path) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (ready()) {
                body.put("status", "ready");
            } else {
                Problem problem = Problem.of("not-ready", "Not ready", 503, String.join("; ", failing()), null)
                        .at(path);
                body.put("type", problem.type());
                body.put("title", problem.title());
                body.put("status", problem.status());
                body.put("detail", problem.detail());
                body.put("instance", problem.instance());
            }
            body.put("checks", checks);
            return body;
        }
    }

    private final List<Check> checks;

    public Readiness(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Asks every check, in order; a check that throws fails with what it threw. */
    public Report check() {
        Map<String, String> results = new LinkedHashMap<>();
        for (Check check : checks) {
            String result;
            try {
                result = check.failure().get().orElse(OK);
            } catch (RuntimeException e) {
                result = "check failed: " + e;
            }
            results.put(check.name(), result);
        }
        return new Report(results);
    }
}
