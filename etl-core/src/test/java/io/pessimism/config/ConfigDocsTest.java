package io.pessimism.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed docs/configuration.md is exactly what the declarations generate. */
class ConfigDocsTest {

    private static final String REGENERATE = "pessimism.docs.regenerate";

    @Test
    void committedTableMatchesTheDeclarations() throws IOException {
        String root = System.getProperty("pessimism.repo.root");
        assertThat(root).as("system property pessimism.repo.root (set by surefire)").isNotNull();
        Path committed = Path.of(root, ConfigDocs.RELATIVE_PATH);
        if (Boolean.getBoolean(REGENERATE)) {
            ConfigDocs.write(committed);
        }
        String actual = Files.exists(committed)
                ? Files.readString(committed, StandardCharsets.UTF_8) : "<missing>";
        assertThat(actual)
                .as(ConfigDocs.RELATIVE_PATH + " is out of date with io.pessimism.config.Settings;"
                        + " regenerate it with: mvn -B -q -pl etl-core -am test -Dnpm.skip=true"
                        + " -Dtest=ConfigDocsTest -Dsurefire.failIfNoSpecifiedTests=false -D"
                        + REGENERATE + "=true")
                .isEqualTo(ConfigDocs.markdown());
    }

    @Test
    void tableHasOneRowPerSettingWithItsEnvironmentVariable() {
        String markdown = ConfigDocs.markdown();
        for (Setting<?> setting : Settings.all()) {
            assertThat(markdown).contains("| `" + setting.name() + "` | `" + setting.envVar()
                    + "` | ");
        }
        assertThat(markdown).contains("| `api.token` | `PESSIMISM_API_TOKEN` | string (secret) |"
                + " (unset) |");
        assertThat(markdown).contains("| `networks.layer1.poll-interval` | "
                + "`PESSIMISM_NETWORKS_LAYER1_POLL_INTERVAL` | duration | `1s` | must be >= 10ms |");
    }
}
