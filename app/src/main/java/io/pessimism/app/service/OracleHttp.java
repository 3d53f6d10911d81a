package io.pessimism.app.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.api.Problem;
import io.pessimism.api.Readiness;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code pessimism oracles} serves for its operators: {@code GET /health} (the process is up),
 * {@code GET /ready} (200, or a 503 problem naming each check that fails: see {@link Readiness}) and
 * {@code GET /metrics} (Prometheus text). A process holding no lease is ready: it is a
 * standby that takes over an oracle when its holder dies. JDK's HTTP server: three read-only
 * routes need no framework.
 */
public final class OracleHttp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OracleHttp.class);
    private static final String JSON = "application/json";
    private static final ObjectMapper BODIES = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;

    private OracleHttp(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Serves on {@code host:port} (0: any free port).
     *
     * @param readiness what {@code /ready} checks, asked on each request
     */
    public static OracleHttp start(String host, int port, Readiness readiness, PrometheusMeterRegistry metrics) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread thread = new Thread(r, "oracle-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/health", exchange -> answer(exchange, 200, JSON, "{\"status\":\"up\"}"));
            server.createContext("/ready", exchange -> {
                Readiness.Report report = readiness.check();
                answer(exchange, report.ready() ? 200 : 503, report.ready() ? JSON : Problem.MEDIA_TYPE,
                        BODIES.writeValueAsString(report.body("/ready")));
            });
            server.createContext("/metrics", exchange -> answer(exchange, 200,
                    "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
            server.createContext("/", exchange -> answer(exchange, 404, JSON,
                    "{\"status\":\"not found\",\"detail\":\"routes: /health, /ready, /metrics\"}"));
            server.start();
            OracleHttp http = new OracleHttp(server, executor);
            log.info("oracle service serves /health, /ready and /metrics on {}", http.url());
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException("could not serve /health, /ready and /metrics on " + host + ":" + port
                    + " (oracles.http.host, oracles.http.port): " + e.getMessage(), e);
        }
    }

    /** {@code http://host:port}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    private static void answer(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                status = 405;
                body = "{\"status\":\"method not allowed\",\"detail\":\"GET only\"}";
                contentType = JSON;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
