package io.pessimism.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench all} at a tiny scale runs every benchmark for real (brokers, anvil, an ETL service;
 * each checks its output) and writes a report with a section per benchmark and none failed. No
 * timing is asserted.
 */
class BenchAllCommandTest {

    private static final List<String> BENCHMARKS = List.of("backfill", "pipe", "create", "balance", "replay",
            "aggregate");

    @TempDir
    Path dir;

    @Test
    void atATinyScaleEveryBenchmarkRunsAndTheReportHoldsEachOne() throws Exception {
        Path report = dir.resolve("reports/bench.md");
        StringWriter err = new StringWriter();
        var cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int rc = cli.execute("bench", "all", "--scale", "0.0001", "--warmups", "0", "--rounds", "1",
                "--report", report.toString());

        String md = Files.readString(report);
        System.out.println(md);
        assertThat(md).doesNotContain("FAILED");
        assertThat(rc).as(err.toString()).isZero();
        for (String bench : BENCHMARKS) {
            assertThat(md).contains("| [" + bench + "](#bench-" + bench + ") |").contains("\n## bench " + bench + "\n")
                    .contains("`pessimism bench " + bench + " ");
        }
        assertThat(md).contains("| cores | ").contains("| Kafka | ").contains("| git commit | ")
                .contains("bench pipe: 10 blocks").contains("p99.9").contains("the 10 real creates on their own")
                .contains("bench replay: 10 blocks").contains("bench aggregate: 10 layer1");
    }
}
