package io.pessimism.oracle;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of a standalone oracle process: {@code --name value} pairs. Required:
 * {@code --bootstrap-servers --namespace --network --rpc-url}; optional: {@code --registry-url
 * --ws-url --start-height --batch-size --concurrency --poll-interval-ms --confirmations --reorg-window}.
 * An unknown flag, a missing value or a malformed number is an error naming the flag.
 */
public record OracleArgs(Map<String, String> values) {

    private static final Set<String> KNOWN = Set.of("bootstrap-servers", "registry-url", "namespace", "network",
            "rpc-url", "ws-url", "start-height", "batch-size", "concurrency", "poll-interval-ms", "confirmations",
            "reorg-window", "retention-ms");
    private static final List<String> REQUIRED = List.of("bootstrap-servers", "registry-url", "namespace", "network",
            "rpc-url");

    public OracleArgs {
        values = Map.copyOf(values);
    }

    public static OracleArgs parse(String... args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!flag.startsWith("--") || !KNOWN.contains(flag.substring(2))) {
                throw new IllegalArgumentException("unknown argument '" + flag + "'; known: --" + String.join(" --", KNOWN));
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            values.put(flag.substring(2), args[++i]);
        }
        for (String required : REQUIRED) {
            if (!values.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return new OracleArgs(values);
    }

    public String get(String name) {
        return values.get(name);
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public long number(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
        }
    }

    public Duration millis(String name, Duration fallback) {
        return values.containsKey(name) ? Duration.ofMillis(number(name, 0)) : fallback;
    }
}
