package io.pessimism.testkit.anvil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the anvil executable is, and the one decision about a missing one: on CI
 * ({@code CI=true}) a missing anvil fails the test, anywhere else it skips it.
 *
 * <p>Lookup order: env {@code PESSIMISM_ANVIL}; then
 * {@code <repo root>/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil}, the repo root being the
 * system property {@code pessimism.repo.root} (set by surefire) or the nearest directory above the
 * working directory holding a {@code package.json}.
 */
public final class AnvilBinary {

    static final String OVERRIDE_ENV = "PESSIMISM_ANVIL";
    static final String CI_ENV = "CI";
    static final String REPO_ROOT_PROPERTY = "pessimism.repo.root";
    private static final Path IN_REPO = Path.of("node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

    private AnvilBinary() {
    }

    /** The executable, or a skipped (locally) / failed (CI) test when there is none. */
    public static Path require() {
        return require(System.getenv());
    }

    /** {@link #require()} reading {@code CI} and {@code PESSIMISM_ANVIL} from {@code env}, so tests can vary them. */
    static Path require(Map<String, String> env) {
        Path binary = expectedPath(env);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        String message = "anvil not found at " + binary + ": run `npm ci` at the repository root"
                + " (or set " + OVERRIDE_ENV + " to an anvil executable)";
        if ("true".equalsIgnoreCase(env.get(CI_ENV))) {
            throw new IllegalStateException(message);
        }
        return Assumptions.abort(message);
    }

    /** Where anvil is expected, whether or not it is there. */
    public static Path expectedPath() {
        return expectedPath(System.getenv());
    }

    static Path expectedPath(Map<String, String> env) {
        String override = env.get(OVERRIDE_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return repoRoot().map(root -> root.resolve(IN_REPO))
                .orElseGet(() -> Path.of(System.getProperty("user.dir")).resolve(IN_REPO));
    }

    static Optional<Path> repoRoot() {
        String property = System.getProperty(REPO_ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("package.json"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
