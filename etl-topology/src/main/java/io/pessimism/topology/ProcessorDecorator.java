package io.pessimism.topology;

import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Wraps every processor another supplier makes, adding no node to the topology: a subclass acts on
 * the processor's thread before its {@code init} and around each {@code process}; stores and
 * {@code close} pass through. How a branch labels its threads' logs ({@link PipelineLogContext}) and
 * reports the trigger's progress ({@link TriggerProgress}) without touching the components.
 */
public abstract class ProcessorDecorator<KIn, VIn, KOut, VOut> implements ProcessorSupplier<KIn, VIn, KOut, VOut> {

    private final ProcessorSupplier<KIn, VIn, KOut, VOut> delegate;

    protected ProcessorDecorator(ProcessorSupplier<KIn, VIn, KOut, VOut> delegate) {
        this.delegate = delegate;
    }

    /** Runs on the processor's thread before the wrapped processor's {@code init}. */
    protected void beforeInit() {
    }

    /** Processes {@code record} with the wrapped {@code processor}; by default, just that. */
    protected void process(Processor<KIn, VIn, KOut, VOut> processor, Record<KIn, VIn> record) {
        processor.process(record);
    }

    @Override
    public final Processor<KIn, VIn, KOut, VOut> get() {
        Processor<KIn, VIn, KOut, VOut> processor = delegate.get();
        return new Processor<>() {
            @Override
            public void init(ProcessorContext<KOut, VOut> context) {
                beforeInit();
                processor.init(context);
            }

            @Override
            public void process(Record<KIn, VIn> record) {
                ProcessorDecorator.this.process(processor, record);
            }

            @Override
            public void close() {
                processor.close();
            }
        };
    }

    @Override
    public final Set<StoreBuilder<?>> stores() {
        return delegate.stores();
    }
}
