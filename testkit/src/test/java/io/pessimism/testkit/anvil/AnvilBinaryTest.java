package io.pessimism.testkit.anvil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class AnvilBinaryTest {

    @Test
    void findsTheRepoPinnedAnvilUnderTheRepoRoot() {
        assertThat(AnvilBinary.repoRoot()).isPresent();
        assertThat(AnvilBinary.repoRoot().get().resolve("package.json")).exists();
        if (System.getenv("PESSIMISM_ANVIL") == null) {
            assertThat(AnvilBinary.expectedPath())
                    .isEqualTo(AnvilBinary.repoRoot().get()
                            .resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil"));
        }
        assertThat(Files.isExecutable(AnvilBinary.require())).isTrue();
    }

    @Test
    void onCiAMissingAnvilFailsNamingWhereItWasLookedForAndWhatToRun(@TempDir Path dir) {
        Path missing = dir.resolve("no-anvil-here");

        assertThatThrownBy(() -> AnvilBinary.require(Map.of("CI", "true", "PESSIMISM_ANVIL", missing.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("anvil not found at " + missing)
                .hasMessageContaining("run `npm ci` at the repository root")
                .hasMessageContaining("PESSIMISM_ANVIL");
    }

    @Test
    void offCiAMissingOrNonExecutableAnvilSkipsTheTestInstead(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("no-anvil-here");
        Path notExecutable = Files.createFile(dir.resolve("anvil"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));

        for (Map<String, String> env : List.of(
                Map.of("PESSIMISM_ANVIL", missing.toString()),
                Map.of("CI", "false", "PESSIMISM_ANVIL", missing.toString()),
                Map.of("PESSIMISM_ANVIL", notExecutable.toString()))) {
            assertThatThrownBy(() -> AnvilBinary.require(env))
                    .as("with %s", env)
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("anvil not found at " + env.get("PESSIMISM_ANVIL"));
        }
    }

    @Test
    void anExecutableNamedByTheOverrideIsUsedEvenOnCi(@TempDir Path dir) throws IOException {
        Path fake = Files.createFile(dir.resolve("anvil"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

        assertThat(AnvilBinary.require(Map.of("CI", "true", "PESSIMISM_ANVIL", fake.toString()))).isEqualTo(fake);
    }
}
