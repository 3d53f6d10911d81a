package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report holds the machine, a summary row and a section per benchmark, failures included. */
class BenchReportTest {

    @Test
    void theReportNamesTheMachineAndEveryBenchmarkWithItsFiguresOrItsFailure() {
        var machine = new BenchReport.Machine(2, "0.50, 0.40, 0.30 on 2 cores", "17.0.9", "4.3.1", "Linux 6.1 amd64",
                "0123abcd");
        var pipe = new BenchReport.Section("pipe", "pessimism bench pipe --blocks 10", "0.5", "1.5",
                Duration.ofSeconds(42), List.of("bench pipe: 10 blocks; branch/decode-and-drop 0.81 | rounds"),
                Optional.empty());
        var backfill = new BenchReport.Section("backfill", "pessimism bench backfill --empty-blocks 20", "1.5", "1.7",
                Duration.ofSeconds(3), List.of("bench backfill (batch 100):", "  empty    20 blocks ratio 0.80",
                        "  realistic 5 blocks ratio 0.95", "  limited by: the node"),
                Optional.empty());
        var create = new BenchReport.Section("create", "pessimism bench create --requests 20", "1.7", "1.9",
                Duration.ofSeconds(5), List.of(), Optional.of("java.lang.IllegalStateException: no reply"));

        String md = BenchReport.markdown("pessimism bench all --scale 0.1", Instant.parse("2026-12-06T10:00:00Z"),
                Duration.ofSeconds(50), machine, List.of(pipe, backfill, create));

        assertThat(md).startsWith("# pessimism bench report\n")
                .contains("Produced by `pessimism bench all --scale 0.1`, started 2026-12-06T10:00:00Z, took 50 s")
                .contains("| cores | 2 |").contains("| load average at the start (1, 5, 15 min) | 0.50, 0.40, 0.30 on 2 cores |")
                .contains("| Java | 17.0.9 |").contains("| Kafka | 4.3.1 |").contains("| OS | Linux 6.1 amd64 |")
                .contains("| git commit | 0123abcd |")
                .as("a pipe in a figure does not break the table")
                .contains("| [pipe](#bench-pipe) | bench pipe: 10 blocks; branch/decode-and-drop 0.81 \\| rounds | 42 s | 0.5 → 1.5 |")
                .as("a header line leads to the figures under it")
                .contains("| [backfill](#bench-backfill) | empty 20 blocks ratio 0.80 / realistic 5 blocks ratio 0.95 | 3 s |")
                .contains("| [create](#bench-create) | **FAILED**: java.lang.IllegalStateException: no reply |")
                .contains("## bench pipe\n\n`pessimism bench pipe --blocks 10` took 42 s; load average before 0.5, "
                        + "after 1.5.\n\n```\nbench pipe: 10 blocks")
                .contains("## bench backfill").contains("```\nbench backfill (batch 100):\n  empty    20 blocks ratio 0.80\n  realistic 5 blocks")
                .contains("## bench create").contains("**FAILED**: java.lang.IllegalStateException: no reply");
    }

    @Test
    void theCommitIsKnownInAGitCheckoutAndSaidUnknownElsewhere(@org.junit.jupiter.api.io.TempDir Path empty) {
        Path repo = Path.of(System.getProperty("pessimism.repo.root"));

        assertThat(BenchReport.Machine.probe(repo).commit()).matches("[0-9a-f]{40}( with uncommitted changes)?");
        assertThat(BenchReport.Machine.probe(empty).commit()).isEqualTo("unknown (not run in a git checkout)");
    }
}
