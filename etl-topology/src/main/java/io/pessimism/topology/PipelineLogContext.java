package io.pessimism.topology;

import io.pessimism.logging.LogContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.MDC;

/**
 * Wraps a branch's processor so that its thread logs as the branch's pipeline ({@link LogContext}).
 * Kafka Streams creates its threads itself, but every thread of a branch's {@code KafkaStreams}
 * (its stream thread, its global thread) works for that branch only, and a pipeline that replaces
 * another on the prefix gets a new {@code KafkaStreams}. So setting the MDC when a processor is
 * initialized on the thread labels everything that thread logs from then on: processors,
 * punctuators, the error handlers, the status sink. A record checks it too (one thread-local read),
 * for a record processed before any {@code init} on its thread (a global store's restore).
 */
final class PipelineLogContext<KIn, VIn, KOut, VOut> extends ProcessorDecorator<KIn, VIn, KOut, VOut> {

    private final String puuid;

    private PipelineLogContext(String puuid, ProcessorSupplier<KIn, VIn, KOut, VOut> delegate) {
        super(delegate);
        this.puuid = puuid;
    }

    /** {@code supplier}'s processors, initialized with the MDC of pipeline {@code puuid}. */
    static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(String puuid,
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return new PipelineLogContext<>(puuid, supplier);
    }

    @Override
    protected void beforeInit() {
        LogContext.pipeline(puuid);
    }

    @Override
    protected void process(Processor<KIn, VIn, KOut, VOut> processor, Record<KIn, VIn> record) {
        if (!puuid.equals(MDC.get(LogContext.PUUID))) {
            LogContext.pipeline(puuid);
        }
        processor.process(record);
    }
}
