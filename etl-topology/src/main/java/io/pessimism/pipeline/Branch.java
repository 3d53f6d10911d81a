package io.pessimism.pipeline;

import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline prefix's branch: its own {@link KafkaStreams}, brought to the desired state of the
 * latest spec applied. Every lifecycle step runs on the branch's own thread, in the order specs
 * were applied, so {@link #apply} returns at once and never waits for, or restarts, another
 * branch.
 *
 * <p>A failure (an uncaught exception in processing, or a failed start) shuts the client down
 * ({@code SHUTDOWN_CLIENT}: a record that fails deterministically would fail a replaced thread
 * again at once) and puts the pipeline in ERROR with the reason; the branch then retries by
 * itself with a capped exponential backoff, and applying RUNNING again retries at once.
 */
final class Branch {

    private static final Logger log = LoggerFactory.getLogger(Branch.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final String prefix;
    private final BranchServices services;
    private final ExecutorService lifecycle;

    // Written on the lifecycle thread, read by Streams callbacks and the status tick.
    private volatile PipelineSpec spec;
    private volatile BranchDefinition definition;
    /** The branch's own state (its Kafka Streams'), before a failed source overrides what is published. */
    private volatile PipelineState observed;
    private volatile String observedReason;
    private volatile Long reportedHead;
    private volatile Long lastHeight;
    private volatile String failure;
    private volatile BranchCounters counters = new BranchCounters();
    private volatile int failures;
    private volatile long reportedHeight = -1;
    private volatile int starts;
    private volatile KafkaStreams streams;
    private volatile StartPacer.Turn startTurn;

    Branch(String prefix, BranchServices services) {
        this.prefix = prefix;
        this.services = services;
        this.lifecycle = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "branch-" + prefix);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Brings the branch to {@code spec}'s desired state, asynchronously. */
    void apply(PipelineSpec spec, BranchDefinition definition) {
        lifecycle.execute(() -> reconcile(spec, definition));
    }

    private void reconcile(PipelineSpec next, BranchDefinition nextDefinition) {
        if (!nextDefinition.equals(definition) && streams != null) {
            log.info("branch {}: pipeline {} replaces {}; restarting it", prefix, next.getPuuid(), definition);
            closeStreams();
        }
        this.spec = next;
        this.definition = nextDefinition;
        try {
            switch (next.getDesiredState()) {
                case RUNNING -> run();
                case PAUSED -> pause();
                case STOPPED -> stop(false);
                case REMOVED -> stop(true);
                case MERGED -> {
                    closeStreams();
                    report(PipelineState.MERGED, null);
                }
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    private void run() {
        failure = null;
        if (streams != null && isUp(streams.state())) {
            if (streams.isPaused()) { // else already running or starting: nothing to do, nothing to report
                streams.resume();
                report(streams.state() == KafkaStreams.State.RUNNING ? running() : PipelineState.STARTING, null);
            }
            return;
        }
        closeStreams(); // one that failed is replaced
        report(PipelineState.STARTING, null);
        startTurn = services.pacer().await(prefix); // ended once this start runs or fails
        BranchDefinition branch = definition;
        List<Topic<?, ?>> topics = services.generator().topicsOf(branch);
        TopicAdmin.ensure(services.admin(), services.settings().replicationFactor(), topics);
        List<String> sources = services.generator().sourceTopics(branch).stream().map(Topic::name).toList();
        services.startPosition().initialize(prefix, sources, spec.getStartHeight());
        counters = new BranchCounters();
        KafkaStreams next = new KafkaStreams(services.generator().build(branch, counters),
                BranchProperties.of(services.settings(), services.topics(), prefix, counters));
        next.setUncaughtExceptionHandler(e -> {
            failure = reason(e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        next.setStateListener((newState, oldState) -> onStateChange(next, newState));
        streams = next;
        starts++;
        next.start();
    }

    private void onStateChange(KafkaStreams source, KafkaStreams.State state) {
        if (source != streams && streams != null) {
            return; // a replaced instance shutting down
        }
        if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.ERROR) {
            endStartTurn();
        }
        switch (state) {
            case RUNNING -> {
                if (spec.getDesiredState() == DesiredState.RUNNING && !source.isPaused()) {
                    report(running(), null);
                }
            }
            case ERROR -> {
                String reason = failure == null ? "Kafka Streams stopped in ERROR" : failure;
                report(PipelineState.ERROR, reason);
                scheduleRetry();
            }
            default -> { }
        }
    }

    private void pause() {
        if (streams != null && isUp(streams.state())) {
            streams.pause();
        }
        report(PipelineState.PAUSED, null);
    }

    private void stop(boolean remove) {
        KafkaStreams last = streams;
        closeStreams();
        if (last != null) {
            last.cleanUp();
        }
        BranchCleanup cleanup = new BranchCleanup(prefix, services);
        cleanup.deleteLocalState(); // what cleanUp leaves: the global store's directory
        cleanup.deleteGroup();
        if (remove) {
            cleanup.deleteTopics();
        }
        report(PipelineState.STOPPED, remove ? "removed" : null);
    }

    private void endStartTurn() {
        StartPacer.Turn turn = startTurn;
        if (turn != null) {
            turn.end();
        }
    }

    private void fail(RuntimeException e) {
        endStartTurn();
        log.error("branch {}: could not bring pipeline {} to {}", prefix, spec.getPuuid(), spec.getDesiredState(), e);
        report(PipelineState.ERROR, reason(e));
        if (spec.getDesiredState() == DesiredState.RUNNING) {
            scheduleRetry();
        }
    }

    private void scheduleRetry() {
        int attempt = ++failures;
        long delay = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(attempt - 1, 16));
        log.info("branch {}: retrying in {} ms (attempt {})", prefix, delay, attempt);
        services.timer().schedule(() -> lifecycle.execute(() -> {
            if (observed == PipelineState.ERROR && spec.getDesiredState() == DesiredState.RUNNING) {
                try {
                    run();
                } catch (RuntimeException e) {
                    fail(e);
                }
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    /** Writes the status again when a live branch has progressed, or its source's head moved, since the last write. */
    void tick() {
        PipelineState state = observed;
        if (state == PipelineState.LIVE || state == PipelineState.BACKFILL) {
            var height = counters.height();
            boolean progressed = height.isPresent() && height.getAsLong() != reportedHeight;
            if (progressed) {
                failures = 0; // progressing: the next failure starts the backoff afresh
            }
            if (progressed || !Objects.equals(sourceHead(), reportedHead)) {
                report(state, null);
            }
        }
    }

    /** A source oracle failed or recovered: a branch that runs, or is starting, says so in its status. */
    void sourcesChanged() {
        if (lifecycle.isShutdown()) {
            return; // closing: its last status stands
        }
        lifecycle.execute(() -> {
            PipelineState state = observed;
            if (readsSources(state)) {
                report(state, observedReason);
            }
        });
    }

    /**
     * Records the branch's own state and publishes the pipeline's: ERROR, with the oracle's reason,
     * while a source of a running branch has failed (the branch keeps running and resumes with it).
     */
    private void report(PipelineState state, String reason) {
        var height = counters.height();
        if (height.isPresent()) {
            lastHeight = height.getAsLong();
            reportedHeight = height.getAsLong();
        }
        observed = state;
        observedReason = reason;
        Long head = sourceHead();
        reportedHead = head;
        PipelineState published = state;
        String why = reason;
        if (readsSources(state)) {
            Optional<String> sourceFailure = services.sources().failure(definition.graph().sources());
            if (sourceFailure.isPresent()) {
                published = PipelineState.ERROR;
                why = sourceFailure.get();
            }
        }
        services.status().report(spec.getPuuid(), published, lastHeight, head, why);
    }

    /** A branch in this state reads (or is about to read) its sources, so a failed source is its pipeline's error. */
    private static boolean readsSources(PipelineState state) {
        return state == PipelineState.LIVE || state == PipelineState.BACKFILL || state == PipelineState.STARTING;
    }

    private Long sourceHead() {
        return services.sources().head(definition.graph().triggerSource()).orElse(null);
    }

    private PipelineState running() {
        return definition.type() == io.pessimism.pipeline.PipelineType.LIVE ? PipelineState.LIVE : PipelineState.BACKFILL;
    }

    private void closeStreams() {
        endStartTurn();
        if (streams == null) {
            return;
        }
        KafkaStreams closing = streams;
        streams = null;
        // Leave the group at once so a restart or a STOPPED cleanup does not wait out a session.
        closing.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    }

    private static boolean isUp(KafkaStreams.State state) {
        return state == KafkaStreams.State.CREATED || state == KafkaStreams.State.REBALANCING
                || state == KafkaStreams.State.RUNNING;
    }

    /** The exception and its causes, class and message each, for a status reason. */
    static String reason(Throwable error) {
        return Stream.iterate(error, t -> t != null, Throwable::getCause)
                .limit(5)
                .map(t -> t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()))
                .collect(Collectors.joining(" <- caused by "));
    }

    /** Closes the branch keeping its group and offsets (the service stops; the pipeline does not). */
    void close() {
        if (lifecycle.isShutdown()) {
            return;
        }
        lifecycle.execute(this::closeStreams);
        lifecycle.shutdown();
        try {
            if (!lifecycle.awaitTermination(CLOSE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                log.warn("branch {}: still closing after {} s", prefix, CLOSE_TIMEOUT.toSeconds() + 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many times this branch has started a Kafka Streams instance (tests: nothing restarts it). */
    int starts() {
        return starts;
    }

    String prefix() {
        return prefix;
    }
}
