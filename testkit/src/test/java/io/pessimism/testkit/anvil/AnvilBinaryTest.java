package io.pessimism.testkit.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

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
}
