package io.pessimism.pipeline;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.logging.LogContext;
import io.pessimism.topic.Topic;
import io.pessimism.topic.TopicAdmin;
import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.BranchDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline prefix's branch: its own {@link KafkaStreams}, brought to the desired state of the
 * latest spec applied. Its state is a {@link BranchStateMachine} owned by the branch's lifecycle
 * thread: the control plane's specs, the Kafka Streams callbacks, the status tick and the retry
 * timer only post {@link BranchEvent events} to that thread, which performs each transition's
 * actions in order. So {@link #apply} returns at once and never waits for, or restarts, another
 * branch, and no callback can overwrite a state it did not see.
 *
 * <p>A failure (an uncaught exception in processing, or a failed start) shuts the client down
 * ({@code SHUTDOWN_CLIENT}: a record that fails deterministically would fail a replaced thread
 * again at once) and puts the pipeline in ERROR with the reason; the branch then retries by
 * itself with a capped exponential backoff, and applying RUNNING again retries at once.
 */
final class Branch {

    private static final Logger log = LoggerFactory.getLogger(Branch.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final String prefix;
    private final BranchServices services;
    private final ExecutorService lifecycle;
    private final AtomicBoolean tickQueued = new AtomicBoolean();

    // Owned by the lifecycle thread.
    private final BranchStateMachine machine = new BranchStateMachine();
    private PipelineSpec spec;
    private BranchDefinition definition;
    private KafkaStreams streams;
    private Optional<KafkaStreamsMetrics> streamsMetrics = Optional.empty();
    private StartPacer.Turn startTurn;
    private Long lastHeight;
    private volatile BranchCounters counters = new BranchCounters();
    private BackfillProgress progress;
    private volatile int starts;
    /** Why the branch is not ready, as of its last event, or null (read by {@code /ready} off the lifecycle thread). */
    private volatile String notReady;
    /** Whether the branch's first start has settled (readiness waits for it once). */
    private volatile boolean settled;

    Branch(String prefix, BranchServices services) {
        this.prefix = prefix;
        this.services = services;
        this.notReady = "branch " + prefix + " is starting";
        this.lifecycle = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "branch-" + prefix);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** What the branch's current Kafka Streams instance has done (new with each start). */
    BranchCounters counters() {
        return counters;
    }

    /** Brings the branch to {@code spec}'s desired state, asynchronously. */
    void apply(PipelineSpec spec, BranchDefinition definition) {
        post(() -> reconcile(spec, definition));
    }

    private void reconcile(PipelineSpec next, BranchDefinition nextDefinition) {
        boolean replaced = definition != null && !nextDefinition.equals(definition);
        if (replaced) {
            log.info("branch {}: pipeline {} replaces {}", prefix, next.getPuuid(), definition);
            handle(new BranchEvent.Replace());
        }
        this.spec = next;
        this.definition = nextDefinition;
        LogContext.pipeline(next.getPuuid());
        handle(switch (next.getDesiredState()) {
            case RUNNING -> new BranchEvent.Run(nextDefinition.backtest(), next.getStartHeight(),
                    nextDefinition.mergeable());
            case PAUSED -> new BranchEvent.Pause();
            case STOPPED -> new BranchEvent.Stop(false);
            case REMOVED -> new BranchEvent.Stop(true);
            case MERGED -> new BranchEvent.Merge();
        });
    }

    /** Applies one event to the machine and performs what its transition says, in order. */
    private void handle(BranchEvent event) {
        BranchTransition transition = machine.on(event);
        observeReadiness();
        if (transition.refused()) {
            log.debug("branch {}: {} ignored in {}: {}", prefix, event, transition.from(), transition.why());
            return;
        }
        if (transition.from() != transition.to()) {
            log.debug("branch {}: {} -> {} on {}", prefix, transition.from(), transition.to(), event);
        }
        for (BranchTransition.Action action : transition.actions()) {
            try {
                perform(action, transition);
            } catch (RuntimeException e) {
                log.error("branch {}: could not bring pipeline {} to {} ({} failed)", prefix, spec.getPuuid(),
                        spec.getDesiredState(), action, e);
                endStartTurn();
                handle(new BranchEvent.StreamsFailed(reason(e)));
                if (machine.phase() != BranchStateMachine.Phase.ERROR) {
                    report(BranchStateMachine.Phase.ERROR, reason(e)); // e.g. a failed cleanup: say so
                }
                return;
            }
        }
    }

    private void perform(BranchTransition.Action action, BranchTransition transition) {
        switch (action) {
            case START -> start();
            case PAUSE -> {
                if (streams != null) {
                    streams.pause();
                }
            }
            case RESUME -> {
                if (streams != null) {
                    streams.resume();
                }
            }
            case CLOSE -> closeStreams();
            case CLEAN_UP -> cleanUp();
            case DELETE_TOPICS -> new BranchCleanup(prefix, services).deleteTopics(spec.getKeepOutput());
            case SCHEDULE_RETRY -> {
                log.info("branch {}: retrying in {} ms (attempt {})", prefix, transition.retryAfter().toMillis(),
                        transition.attempt());
                services.timer().schedule(() -> post(() -> handle(new BranchEvent.RetryDue(transition.attempt()))),
                        transition.retryAfter().toMillis(), TimeUnit.MILLISECONDS);
            }
            case REPORT -> report(machine.phase(), machine.reason());
        }
    }

    private void start() {
        closeStreams(); // one that failed is replaced
        startTurn = services.pacer().await(prefix); // ended once this start runs or fails
        BranchDefinition branch = definition;
        List<Topic<?, ?>> topics = services.generator().topicsOf(branch);
        TopicAdmin.ensure(services.admin(), services.settings().replicationFactor(), topics);
        services.startPosition().initialize(prefix, services.generator().sources(branch), spec.getStartHeight());
        counters = new BranchCounters();
        progress = new BackfillProgress(branch.startHeight());
        KafkaStreams next = new KafkaStreams(services.generator().build(branch, counters),
                BranchProperties.of(services.settings(), services.topics(), branch, counters));
        AtomicReference<String> failure = new AtomicReference<>();
        next.setUncaughtExceptionHandler(e -> {
            failure.set(reason(e));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        next.setStateListener((newState, oldState) -> {
            if (newState == KafkaStreams.State.RUNNING || newState == KafkaStreams.State.ERROR) {
                post(() -> onStateChange(next, newState, failure.get()));
            }
        });
        streams = next;
        streamsMetrics = services.metrics().bind(next);
        starts++;
        next.start();
    }

    private void onStateChange(KafkaStreams source, KafkaStreams.State state, String failure) {
        if (source != streams) {
            return; // a replaced or closed instance
        }
        endStartTurn();
        handle(state == KafkaStreams.State.RUNNING
                ? new BranchEvent.StreamsRunning(position())
                : new BranchEvent.StreamsFailed(failure));
    }

    private void cleanUp() {
        KafkaStreams last = streams;
        closeStreams();
        if (last != null) {
            last.cleanUp();
        }
        BranchCleanup cleanup = new BranchCleanup(prefix, services);
        cleanup.deleteLocalState(); // what cleanUp leaves: the global store's directory
        cleanup.deleteGroup();
    }

    private void endStartTurn() {
        StartPacer.Turn turn = startTurn;
        if (turn != null) {
            turn.end();
        }
    }

    /** Hands the status tick to the lifecycle thread, at most one at a time. */
    void tick() {
        if (tickQueued.compareAndSet(false, true)) {
            post(() -> {
                tickQueued.set(false);
                handle(new BranchEvent.Progress(position()));
            });
        }
    }

    /** A source oracle failed or recovered: a branch that runs, or is starting, says so in its status. */
    void sourcesChanged() {
        post(() -> {
            if (readsSources(machine.phase())) {
                report(machine.phase(), machine.reason());
            }
        });
    }

    private BranchEvent.Position position() {
        var height = counters.height();
        return new BranchEvent.Position(height, sourceHead(), counters.isRangeDone());
    }

    /**
     * Publishes the pipeline's status: ERROR, with the oracle's reason, while a source of a running
     * branch has failed (the branch keeps running and resumes with it).
     */
    private void report(BranchStateMachine.Phase phase, String reason) {
        var height = counters.height();
        if (height.isPresent()) {
            lastHeight = height.getAsLong();
        }
        PipelineState published = phase.state().orElseThrow();
        String why = reason;
        if (readsSources(phase)) {
            Optional<String> sourceFailure = services.sources().failure(definition.graph().sources());
            if (sourceFailure.isPresent()) {
                published = PipelineState.ERROR;
                why = sourceFailure.get();
            }
        }
        Long head = sourceHead();
        services.status().report(spec.getPuuid(), published, lastHeight, head, figures(phase, head), why);
    }

    /** A backfill's figures towards its source's head, a backtest's towards its end; none otherwise. */
    private BackfillProgress.Figures figures(BranchStateMachine.Phase phase, Long head) {
        if (progress == null || (phase != BranchStateMachine.Phase.BACKFILL && phase != BranchStateMachine.Phase.DONE)) {
            return null;
        }
        Long target = definition.backtest() ? definition.endHeight() : head;
        return progress.at(System.currentTimeMillis(), counters.height(), target);
    }

    /** A branch in this phase reads (or is about to read) its sources, so a failed source is its pipeline's error. */
    private static boolean readsSources(BranchStateMachine.Phase phase) {
        return phase.running() || phase == BranchStateMachine.Phase.STARTING;
    }

    private Long sourceHead() {
        return definition == null ? null : services.sources().head(definition.graph().triggerSource()).orElse(null);
    }

    private void closeStreams() {
        endStartTurn();
        if (streams == null) {
            return;
        }
        KafkaStreams closing = streams;
        streams = null;
        streamsMetrics.ifPresent(KafkaStreamsMetrics::close);
        streamsMetrics = Optional.empty();
        // Leave the group at once so a restart or a STOPPED cleanup does not wait out a session.
        closing.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    }

    /** Runs {@code step} on the lifecycle thread, which logs as the branch's pipeline of the moment. */
    private void post(Runnable step) {
        try {
            lifecycle.execute(() -> {
                LogContext.pipeline(spec == null ? null : spec.getPuuid());
                step.run();
            });
        } catch (RejectedExecutionException closing) {
            // the branch is closing: its last status stands
        }
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
        post(this::closeStreams);
        lifecycle.shutdown();
        try {
            if (!lifecycle.awaitTermination(CLOSE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                log.warn("branch {}: still closing after {} s", prefix, CLOSE_TIMEOUT.toSeconds() + 5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Not ready until the branch's first start settled (running, paused, stopped, finished, or ERROR).
     * A pipeline in ERROR, or retrying, leaves the instance ready: its status and
     * {@code pessimism_pipeline_error} say so, and the API must stay reachable to fix or remove it
     * (every instance runs every branch, so one bad pipeline would take them all out of service).
     */
    private void observeReadiness() {
        boolean starting = machine.phase() == BranchStateMachine.Phase.NEW
                || machine.phase() == BranchStateMachine.Phase.STARTING;
        if (!starting) {
            settled = true;
        }
        notReady = starting && !settled
                ? "branch " + prefix + " (pipeline " + (spec == null ? "?" : spec.getPuuid()) + ") is starting"
                : null;
    }

    /** Why the branch is not ready, or empty when it runs or was paused, stopped or finished on purpose. */
    Optional<String> notReady() {
        return Optional.ofNullable(notReady);
    }

    /** How many times this branch has started a Kafka Streams instance (tests: nothing restarts it). */
    int starts() {
        return starts;
    }

    String prefix() {
        return prefix;
    }
}
