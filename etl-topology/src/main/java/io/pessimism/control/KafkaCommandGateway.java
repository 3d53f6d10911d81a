package io.pessimism.control;

import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.config.KafkaConnection;
import io.pessimism.topic.Topic;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces commands to {@code <ns>.pipeline-commands} (one partition, idempotent, acks=all) and
 * awaits each reply through the instance's {@link ReplyListener}, at most {@code timeout}.
 */
public final class KafkaCommandGateway implements CommandGateway, AutoCloseable {

    private final KafkaProducer<String, PipelineCommand> producer;
    private final Topic<String, PipelineCommand> commands;
    private final ReplyListener replies;
    private final Duration timeout;

    KafkaCommandGateway(KafkaConnection kafka, String clientId, Topic<String, PipelineCommand> commands,
            ReplyListener replies, Duration timeout) {
        Properties props = kafka.asProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1_000));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(timeout.toMillis(), 1_000));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        this.producer = new KafkaProducer<>(props, commands.keySerde().serializer(), commands.valueSerde().serializer());
        this.commands = commands;
        this.replies = replies;
        this.timeout = timeout;
    }

    @Override
    public PipelineCommandReply send(PipelineCommand command) {
        String requestId = command.getRequestId();
        CompletableFuture<PipelineCommandReply> reply = replies.expect(requestId);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            producer.send(new ProducerRecord<>(commands.name(), 0, requestId, command))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ControlPlaneUnavailable("no reply to " + command.getType() + " request " + requestId
                    + " from the control plane within " + timeout.toMillis() + " ms (" + commands.name() + ")", e);
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new ControlPlaneUnavailable("could not send " + command.getType() + " request " + requestId
                    + " to " + commands.name() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlPlaneUnavailable("interrupted while awaiting request " + requestId, e);
        } finally {
            replies.forget(requestId);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
