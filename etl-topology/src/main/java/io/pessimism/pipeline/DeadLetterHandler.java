package io.pessimism.pipeline;

import io.pessimism.topology.BranchCounters;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;

/**
 * A source record that cannot be decoded: Kafka Streams' own handler logs it and, with
 * {@code errors.dead.letter.queue.topic.name} set, writes its original bytes to
 * {@code <prefix>.dlq} with headers saying why ({@code __streams.errors.exception},
 * {@code __streams.errors.message}, {@code __streams.errors.stacktrace}) and from where
 * ({@code __streams.errors.topic}, {@code .partition}, {@code .offset}) in the branch's
 * transaction; this subclass also counts it. The branch continues.
 */
public final class DeadLetterHandler extends LogAndContinueExceptionHandler {

    private BranchCounters counters = new BranchCounters();

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        counters = BranchProperties.counters(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        Response response = super.handleError(context, record, exception);
        counters.deadLettered();
        return response;
    }
}
