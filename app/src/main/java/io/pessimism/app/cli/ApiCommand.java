package io.pessimism.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pessimism.client.PessimismApiException;
import io.pessimism.client.PessimismClient;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the ETL's REST API: prints the answer as JSON on stdout; a refusal prints
 * the problem (what was wrong, which field) on stderr and exits 2 for a bad request, 1 otherwise.
 */
abstract class ApiCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the ETL's REST API listens. */
    static final class ApiOptions {
        @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:PESSIMISM_API_URL:-http://127.0.0.1:8080}",
                description = "ETL REST API base URL (default: ${DEFAULT-VALUE}, env PESSIMISM_API_URL).")
        String url;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:PESSIMISM_API_TOKEN}",
                description = "Bearer token, when the API requires one (env PESSIMISM_API_TOKEN).")
        String token;

        PessimismClient client() {
            return PessimismClient.create(url, Optional.ofNullable(token).filter(t -> !t.isBlank()));
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ApiOptions api;

    /** Calls the API and returns what to print. */
    abstract Object call(PessimismClient client);

    @Override
    public final Integer call() throws Exception {
        try {
            Object answer = call(api.client());
            print(spec, answer);
            return 0;
        } catch (PessimismApiException e) {
            return refused(spec, e);
        }
    }

    /** Prints {@code answer} as indented JSON on the command's stdout. */
    static void print(CommandSpec spec, Object answer) throws JsonProcessingException {
        spec.commandLine().getOut().println(JSON.writeValueAsString(answer));
        spec.commandLine().getOut().flush();
    }

    /**
     * Prints what the API refused (status, title, detail, field) or why it could not be reached on
     * stderr; the exit code: 2 for a bad request (4xx), 1 otherwise.
     */
    static int refused(CommandSpec spec, PessimismApiException e) {
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.problem()
                .map(p -> p.status() + " " + p.title() + ": " + p.detail() + (p.field() == null ? "" : " (field " + p.field() + ")"))
                .orElse(e.getMessage()));
        spec.commandLine().getErr().flush();
        return e.status() >= 400 && e.status() < 500 ? 2 : 1;
    }
}
