package io.pessimism.topology;

import io.pessimism.logging.LogContext;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
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
final class PipelineLogContext<KIn, VIn, KOut, VOut> implements ProcessorSupplier<KIn, VIn, KOut, VOut> {

    private final String puuid;
    private final ProcessorSupplier<KIn, VIn, KOut, VOut> delegate;

    private PipelineLogContext(String puuid, ProcessorSupplier<KIn, VIn, KOut, VOut> delegate) {
        this.puuid = puuid;
        this.delegate = delegate;
    }

    /** {@code supplier}'s processors, initialized with the MDC of pipeline {@code puuid}. */
    static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> of(String puuid,
            ProcessorSupplier<KIn, VIn, KOut, VOut> supplier) {
        return new PipelineLogContext<>(puuid, supplier);
    }

    @Override
    public Processor<KIn, VIn, KOut, VOut> get() {
        Processor<KIn, VIn, KOut, VOut> processor = delegate.get();
        return new Processor<>() {
            @Override
            public void init(ProcessorContext<KOut, VOut> context) {
                LogContext.pipeline(puuid);
                processor.init(context);
            }

            @Override
            public void process(Record<KIn, VIn> record) {
                if (!puuid.equals(MDC.get(LogContext.PUUID))) {
                    LogContext.pipeline(puuid);
                }
                processor.process(record);
            }

            @Override
            public void close() {
                processor.close();
            }
        };
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return delegate.stores();
    }
}
