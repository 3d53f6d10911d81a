package io.pessimism.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The checks behind {@code GET /ready}: each says why it fails, or nothing when it holds. */
public final class Readiness {

    /** One named check; {@code failure} is empty when it holds. */
    public record Check(String name, Supplier<Optional<String>> failure) {
    }

    private final List<Check> checks;

    public Readiness(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    /** Every check's result: "ok" or why it fails, in order. */
    public Map<String, String> results() {
        Map<String, String> results = new LinkedHashMap<>();
        for (Check check : checks) {
            String result;
            try {
                result = check.failure().get().orElse("ok");
            } catch (RuntimeException e) {
                result = "check failed: " + e.getMessage();
            }
            results.put(check.name(), result);
        }
        return results;
    }
}
