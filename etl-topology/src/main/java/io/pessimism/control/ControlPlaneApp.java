package io.pessimism.control;

import io.pessimism.config.GroupSession;
import io.pessimism.config.KafkaConnection;
import io.pessimism.pipeline.BranchProperties;
import io.pessimism.pipeline.BranchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's Kafka Streams application ({@code application.id} = {@code <ns>.control},
 * exactly_once_v2): every ETL instance runs it, and Kafka gives the one partition's task to one of
 * them, so one processor applies every command. The others take over when it leaves.
 *
 * <p>A reply is visible only once its transaction commits, so the app commits often
 * ({@code commit.interval.ms} = {@value #COMMIT_INTERVAL_MS}) and never blocks long waiting for
 * input ({@code poll.ms} = {@value #POLL_MS}; at the default 100 ms a command processed just after
 * a commit waited for the next loop that long). Commands arriving within one interval share a
 * commit: with {@code commit.interval.ms=0} Kafka Streams commits after every record, and a burst
 * of requests queues behind one transaction each.
 */
public final class ControlPlaneApp implements AutoCloseable {

    static final int COMMIT_INTERVAL_MS = 5;
    static final int POLL_MS = 5;

    private static final Logger log = LoggerFactory.getLogger(ControlPlaneApp.class);

    private final KafkaStreams streams;
    private final String applicationId;

    /**
     * @param groupInstanceId this instance's static identity in the control group, stable across
     *                        restarts on the same state directory (see {@code BranchSettings.instanceId()})
     * @param session         how long the task of an instance that died waits before another takes it
     *                        ({@code pipelines.session-timeout})
     */
    public ControlPlaneApp(Topology topology, String applicationId, KafkaConnection kafka, Path stateDir,
            short replicationFactor, String groupInstanceId, GroupSession session) {
        this.applicationId = applicationId;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.putAll(kafka.properties());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.POLL_MS_CONFIG, POLL_MS);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 20);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        // A transaction begun just after a commit can be refused until the coordinator has written
        // the previous one's markers, and is retried after retry.backoff.ms: at the default 100 ms,
        // commands waited ~100 ms before processing on a fresh broker (measured in bench create).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        // Static membership: an instance restarted after a crash (SIGKILL) takes its task back at
        // once. Without it the new member waited for the dead one's session to expire (45 s), past
        // the start timeout, and the restarted service exited. close() still leaves the group.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), groupInstanceId);
        props.putAll(BranchSettings.mainConsumer(session.consumerProperties()));
        BranchProperties.enableGlobalProcessingHandler(props); // no global store here: only the warning goes
        this.streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("control plane {}: stream thread failed, replacing it", applicationId, e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /** Starts and waits until RUNNING (the task may be on another instance: that is running too). */
    public void start(Duration timeout) {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("control plane " + applicationId + " did not reach RUNNING within "
                        + timeout.toSeconds() + " s (state " + streams.state() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting control plane " + applicationId, e);
        }
        log.info("control plane {} is running", applicationId);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Kafka Streams instance, for metrics. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Commits and leaves the group at once, so another instance takes the task without waiting. */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
    }
}
