package io.pessimism.topology;

import io.pessimism.avro.Block;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Wraps the processor of a component fed by the branch's trigger source so that, once it has
 * processed a record, the block number (the source record's key, a decimal string on every block
 * topic) is reported to the {@link BranchCounters}, with the record's age (its timestamp is when
 * its oracle produced it) and, on a block topic, the canonical block (gaps are missed blocks).
 * Adds no node to the topology.
 */
final class TriggerProgress<KIn, VIn, KOut, VOut> implements ProcessorSupplier<KIn, VIn, KOut, VOut> {

    private final ProcessorSupplier<KIn, VIn, KOut, VOut> delegate;
    private final BranchCounters progress;

    TriggerProgress(ProcessorSupplier<KIn, VIn, KOut, VOut> delegate, BranchCounters progress) {
        this.delegate = delegate;
        this.progress = progress;
    }

    @Override
    public Processor<KIn, VIn, KOut, VOut> get() {
        Processor<KIn, VIn, KOut, VOut> processor = delegate.get();
        return new Processor<>() {
            @Override
            public void init(ProcessorContext<KOut, VOut> context) {
                processor.init(context);
            }

            @Override
            public void process(Record<KIn, VIn> record) {
                processor.process(record);
                progress.latency(System.currentTimeMillis() - record.timestamp()); // the oracle's produce time
                if (record.value() instanceof Block block && !block.getRemoved()) {
                    progress.block(block.getNumber());
                }
                if (record.key() instanceof String key) {
                    try {
                        progress.processed(Long.parseLong(key));
                    } catch (NumberFormatException notAHeight) {
                        // a source keyed otherwise has no height to report
                    }
                }
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
