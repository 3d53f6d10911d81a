package io.pessimism.app.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pessimism.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * The {@code pessimism} command line run in this JVM as a user runs it from a shell against an ETL
 * service's REST API: what it printed on stdout and stderr, and its exit code.
 */
final class Cli {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one command printed, and its exit code. */
    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    private Cli() {
    }

    /** Runs {@code pessimism args… --api api}. */
    static Run run(String api, String... args) {
        CommandLine cli = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--api");
        all.add(api);
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }
}
