package io.pessimism.topology;

import io.pessimism.avro.Block;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Wraps the processor of a component fed by the branch's trigger source so that, once it has
 * processed a record, the block number (the source record's key, a decimal string on every block
 * topic) is reported to the {@link BranchCounters}, with the record's age (its timestamp is when
 * its oracle produced it) and, on a block topic, the canonical block (gaps are missed blocks).
 * Adds no node to the topology.
 */
final class TriggerProgress<KIn, VIn, KOut, VOut> extends ProcessorDecorator<KIn, VIn, KOut, VOut> {

    private final BranchCounters progress;

    TriggerProgress(ProcessorSupplier<KIn, VIn, KOut, VOut> delegate, BranchCounters progress) {
        super(delegate);
        this.progress = progress;
    }

    @Override
    protected void process(Processor<KIn, VIn, KOut, VOut> processor, Record<KIn, VIn> record) {
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
}
