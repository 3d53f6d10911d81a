package io.pessimism.control;

import io.pessimism.config.KafkaConnection;
import io.pessimism.pipeline.Branches;
import io.pessimism.topic.Topics;
import java.time.Duration;

/**
 * The per-instance clients of the control plane: the reply listener and the gateway sending
 * commands (so requests can be answered), and the reconciler (so branches follow the desired
 * state). Started together, closed in reverse.
 */
public final class ControlPlaneServices implements AutoCloseable {

    private final ReplyListener replies;
    private final KafkaCommandGateway gateway;
    private final Reconciler reconciler;

    private ControlPlaneServices(ReplyListener replies, KafkaCommandGateway gateway, Reconciler reconciler) {
        this.replies = replies;
        this.gateway = gateway;
        this.reconciler = reconciler;
    }

    /**
     * Starts the reply listener at the end of the replies, the gateway, and the reconciler from the
     * beginning of the specs; returns once the reconciler has read every spec that existed.
     */
    public static ControlPlaneServices start(KafkaConnection kafka, String clientId, Topics topics,
            Branches branches, PipelineCatalogue catalogue, Duration requestTimeout, Duration catchUpTimeout) {
        ReplyListener replies = new ReplyListener(kafka, clientId + ".replies", topics.pipelineReplies());
        replies.start();
        KafkaCommandGateway gateway = new KafkaCommandGateway(kafka, clientId + ".commands",
                topics.pipelineCommands(), replies, requestTimeout);
        Reconciler reconciler = new Reconciler(kafka, clientId + ".reconciler", topics, branches, catalogue);
        ControlPlaneServices services = new ControlPlaneServices(replies, gateway, reconciler);
        try {
            reconciler.start();
            reconciler.awaitCaughtUp(catchUpTimeout);
            return services;
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    public CommandGateway gateway() {
        return gateway;
    }

    public boolean repliesReady() {
        return replies.ready();
    }

    public boolean reconcilerReady() {
        return reconciler.running() && reconciler.caughtUp();
    }

    @Override
    public void close() {
        reconciler.close();
        gateway.close();
        replies.close();
    }
}
