package io.pessimism.oracle;

import io.pessimism.registry.Registers;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of a standalone oracle process: {@code --name value} pairs. Required:
 * {@code --bootstrap-servers --registry-url --namespace --network --rpc-url}; optional: {@code --register}
 * (which catalogued oracle; {@code geth_block} by default) {@code --ws-url --start-height
 * --batch-size --concurrency --poll-interval-ms --confirmations --reorg-window --retention-ms
 * --contract-creations}. An
 * optional flag left out has no value here: the settings' declared default applies (see
 * {@link OracleSettings}). An unknown flag, a missing value or a malformed number is an error naming the flag.
 */
public record OracleArgs(Map<String, String> values) {

    /** The oracle a command line without {@code --register} runs. */
    public static final String DEFAULT_REGISTER = Registers.GETH_BLOCK.name();

    private static final Set<String> KNOWN = Set.of("bootstrap-servers", "registry-url", "namespace", "network",
            "rpc-url", "register", "ws-url", "start-height", "batch-size", "concurrency", "poll-interval-ms",
            "confirmations", "reorg-window", "retention-ms", "contract-creations");
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

    /** The register of the oracle to run. */
    public String register() {
        return values.getOrDefault("register", DEFAULT_REGISTER);
    }

    public Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The flag's whole number, when given. */
    public Optional<Long> number(String name) {
        return optional(name).map(value -> {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, got '" + value + "'");
            }
        });
    }

    /** The flag's whole number within an int, when given. */
    public Optional<Integer> integer(String name) {
        return number(name).map(value -> {
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("--" + name + " must be at most " + Integer.MAX_VALUE + ", got "
                        + value);
            }
            return value.intValue();
        });
    }

    /** The flag's milliseconds as a duration, when given. */
    public Optional<Duration> millis(String name) {
        return number(name).map(Duration::ofMillis);
    }
}
