package io.pessimism.pipeline;

import io.pessimism.topology.BranchCounters;
import io.pessimism.topology.PoisonRecordException;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor's exception: a {@link PoisonRecordException} (a record that decodes but cannot be
 * processed) sends the source record to {@code <prefix>.dlq} with the same headers as
 * {@link DeadLetterHandler}, counts it and continues; anything else fails the branch, which goes
 * to ERROR with the reason — a bug must not silently skip blocks.
 */
public final class PoisonRecordHandler extends LogAndContinueProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(PoisonRecordHandler.class);

    private BranchCounters counters = new BranchCounters();

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        counters = BranchProperties.counters(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!isPoison(exception)) {
            log.error("processor {} failed on {}-{}@{}; the branch stops", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        Response response = super.handleError(context, record, exception);
        counters.deadLettered();
        return response;
    }

    private static boolean isPoison(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof PoisonRecordException) {
                return true;
            }
        }
        return false;
    }
}
