package io.pessimism.topology;

import io.pessimism.avro.Block;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A processor turning a pipeline's blocks into {@code .out} records: {@link BlockRecords} decides
 * which blocks it gets (a tombstone is poison, blocks below the start are not delivered), the
 * subclass what each block yields.
 *
 * @param <V> the register's {@code .out} type
 */
public abstract class BlockRecordProcessor<V> implements Processor<String, Block, String, V> {

    protected final BlockRecords blocks;
    private ProcessorContext<String, V> context;

    protected BlockRecordProcessor(BlockRecords blocks) {
        this.blocks = blocks;
    }

    @Override
    public final void init(ProcessorContext<String, V> context) {
        this.context = context;
    }

    @Override
    public final void process(Record<String, Block> record) {
        Block block = blocks.delivered(record);
        if (block != null) {
            emit(block, record, context.currentSystemTimeMs());
        }
    }

    /** Forwards what {@code block} (read as {@code source}) yields, processed at wall-clock {@code now}. */
    protected abstract void emit(Block block, Record<String, Block> source, long now);

    /** Forwards one of {@code block}'s records, keyed and timed as {@link BlockRecords#record} says. */
    protected final void forward(Block block, V output, Record<String, Block> source) {
        context.forward(BlockRecords.record(block, output, source));
    }
}
