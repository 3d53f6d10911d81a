package io.pessimism.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.JavalinDefaultRouting;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.avro.CommandType;
import io.pessimism.config.ApiConfig;
import io.pessimism.control.ControlPlaneUnavailable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API (DESIGN.md §7) on Javalin: routes to {@link PipelineOperations}, RFC 9457 problem
 * bodies for every error, a bearer token on {@code /v1/*} and {@code /metrics} when
 * {@code api.token} is set ({@code /health} and {@code /ready} stay open for probes), request
 * bodies bounded by {@code api.max-request-bytes}, and on the same routes a rate limit per client
 * address ({@code api.rate-limit}, checked before the token so guessing it is slowed too).
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String STARTED = "pessimism.started";
    private static final String PIPELINE = "/v1/pipelines/{puuid}";

    private final ApiConfig config;
    private final PipelineOperations operations;
    private final Readiness readiness;
    private final PrometheusMeterRegistry metrics;
    private final ObjectMapper mapper = JsonBodies.mapper();
    private final JsonBodies bodies;
    private final Optional<ClientRateLimiter> limiter;
    private final Javalin app;

    public ApiServer(ApiConfig config, PipelineOperations operations, Readiness readiness,
            PrometheusMeterRegistry metrics) {
        this.config = config;
        this.operations = operations;
        this.readiness = readiness;
        this.metrics = metrics;
        this.bodies = new JsonBodies(mapper, config.maxRequestBytes());
        this.limiter = config.rateLimited()
                ? Optional.of(new ClientRateLimiter(config.rateLimit(), config.rateBurst(), System::nanoTime))
                : Optional.empty();
        this.app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.startupWatcherEnabled = false;
            javalin.http.maxRequestSize = config.maxRequestBytes();
            javalin.jsonMapper(new JavalinJackson(mapper, false));
            javalin.router.mount(this::routes);
            // requests Jetty refuses before routing are problems too (its own pages are HTML)
            ProblemErrorHandler errors = new ProblemErrorHandler(mapper);
            javalin.jetty.modifyServer(server -> server.setErrorHandler(errors));
            javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(errors));
        });
    }

    /** Binds to {@code api.host}:{@code api.port} (0: a free port). */
    public ApiServer start() {
        app.start(config.host(), config.port());
        log.info("REST API listening on {}", url());
        return this;
    }

    public int port() {
        return app.port();
    }

    /** {@code http://host:port}. */
    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() {
        app.stop();
    }

    private void routes(JavalinDefaultRouting router) {
        router.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        router.before("/v1/*", this::limit);
        router.before("/metrics", this::limit);
        router.before("/v1/*", this::authorize);
        router.before("/metrics", this::authorize);
        router.after(this::time);

        router.post("/v1/pipelines", ctx -> {
            PipelineCreated created = operations.create(body(ctx, CreatePipelineRequest.class));
            ctx.status(created.reused() ? 200 : 201).json(created);
        });
        router.get("/v1/pipelines", ctx -> ctx.json(operations.list()));
        router.get(PIPELINE, ctx -> ctx.json(operations.show(ctx.pathParam("puuid"))));
        router.patch(PIPELINE, ctx -> ctx.json(operations.update(ctx.pathParam("puuid"),
                body(ctx, UpdatePipelineRequest.class))));
        router.post(PIPELINE + "/pause", ctx -> lifecycle(ctx, CommandType.PAUSE));
        router.post(PIPELINE + "/resume", ctx -> lifecycle(ctx, CommandType.RESUME));
        router.post(PIPELINE + "/stop", ctx -> lifecycle(ctx, CommandType.STOP));
        router.delete(PIPELINE, ctx -> ctx.json(operations.remove(ctx.pathParam("puuid"),
                Optional.ofNullable(ctx.queryParam("owner")), "true".equalsIgnoreCase(ctx.queryParam("keepOutput")))));
        router.put(PIPELINE + "/addresses/{address}", ctx -> ctx.json(operations.watch(ctx.pathParam("puuid"),
                ctx.pathParam("address"), body(ctx, InterestRequest.class))));
        router.delete(PIPELINE + "/addresses/{address}", ctx -> ctx.json(operations.unwatch(ctx.pathParam("puuid"),
                ctx.pathParam("address"), interestOwner(ctx))));
        router.get("/v1/registers", ctx -> ctx.json(operations.registers()));
        router.get("/v1/graph", ctx -> {
            PipelineGraph.Format format = PipelineOperations.graphFormat(ctx.queryParam("format"));
            PipelineGraph graph = operations.graph();
            if (format == PipelineGraph.Format.json) {
                ctx.json(graph.structure());
            } else {
                ctx.contentType("text/plain; charset=utf-8").result(graph.render(format));
            }
        });

        router.get("/health", ctx -> ctx.json(Map.of("status", "up")));
        router.get("/ready", this::ready);
        router.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));

        router.exception(ProblemException.class, (e, ctx) -> problem(ctx, e.problem()));
        router.exception(ControlPlaneUnavailable.class, (e, ctx) -> problem(ctx,
                Problems.unavailable(e.getMessage()).problem()));
        router.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus() == 404
                ? Problems.notFound(ctx.path())
                : Problem.of("http-" + e.getStatus(), e.getMessage(), e.getStatus(), e.getMessage(), null)));
        router.exception(Exception.class, (e, ctx) -> {
            log.error("{} {} failed", ctx.method(), ctx.path(), e);
            // the cause is in the log: an exception's class and message are not for clients
            problem(ctx, Problems.internal(ctx.method() + " " + ctx.path() + " failed; the service log has the cause"));
        });
        router.error(404, ctx -> {
            if (!Problem.MEDIA_TYPE.equals(ctx.res().getContentType())) {
                problem(ctx, Problems.notFound(ctx.path()));
            }
        });
    }

    private void lifecycle(Context ctx, CommandType type) {
        ctx.json(operations.lifecycle(ctx.pathParam("puuid"), type));
    }

    /** DELETE of an address names its owner in the body or as {@code ?owner=}. */
    private InterestRequest interestOwner(Context ctx) {
        InterestRequest body = body(ctx, InterestRequest.class);
        String owner = ctx.queryParam("owner");
        if (body == null && owner != null) {
            return new InterestRequest(null, owner);
        }
        return body;
    }

    private <T> T body(Context ctx, Class<T> type) {
        bodies.checkDeclaredLength(ctx.req().getContentLengthLong());
        return bodies.read(ctx.bodyInputStream(), type);
    }

    private void limit(Context ctx) {
        if (limiter.isEmpty()) {
            return;
        }
        String client = ctx.ip();
        limiter.get().acquire(client).ifPresent(wait -> {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            throw Problems.tooManyRequests(client, config.rateLimit(), config.rateBurst(), seconds);
        });
    }

    private void authorize(Context ctx) {
        if (config.token().isEmpty()) {
            return;
        }
        String header = ctx.header("Authorization");
        byte[] expected = ("Bearer " + config.token().get()).getBytes(StandardCharsets.UTF_8);
        if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw Problems.unauthorized();
        }
    }

    private void ready(Context ctx) {
        Readiness.Report report = readiness.check();
        if (report.ready()) {
            ctx.json(report.body(ctx.path()));
            return;
        }
        try {
            ctx.status(503).contentType(Problem.MEDIA_TYPE).result(mapper.writeValueAsBytes(report.body(ctx.path())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the readiness report " + report, e);
        }
    }

    private void problem(Context ctx, Problem problem) {
        Problem at = problem.instance() == null ? problem.at(ctx.path()) : problem;
        try {
            // bytes, not a String: Jetty would encode a String in ISO-8859-1 (no charset in the media type),
            // and a problem echoing non-ASCII input would not be JSON (which is UTF-8)
            ctx.status(at.status()).contentType(Problem.MEDIA_TYPE).result(mapper.writeValueAsBytes(at));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write problem " + at, e);
        }
    }

    private void time(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        String route = ctx.endpointHandlerPath();
        Timer.builder("pessimism.api.requests")
                .description("REST API requests by route and status")
                .tag("method", ctx.method().name())
                .tag("route", route == null || route.isEmpty() ? "unmatched" : route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
}
