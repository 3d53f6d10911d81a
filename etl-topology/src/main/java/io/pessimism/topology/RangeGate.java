package io.pessimism.topology;

import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The first node after a backtest's trigger source: passes on the records of blocks in
 * {@code [startHeight, endHeight]} (blocks and their retractions alike) to the components that
 * read the source, drops the others, and after every record tells the branch's {@link RangeEnd}
 * how far the source has gone, so it can tell when a block of the range can no longer be
 * retracted. Stateless: its start is the branch's start offset, its position the branch's.
 */
final class RangeGate implements ProcessorSupplier<String, Object, String, Object> {

    private final long start;
    private final long end;
    private final List<String> readers;
    private final String rangeEnd;

    /**
     * @param readers  the nodes reading the trigger source, which get the records in range
     * @param rangeEnd the branch's {@link RangeEnd} node, which gets a {@link RangeSignal} per record
     */
    RangeGate(long start, long end, List<String> readers, String rangeEnd) {
        this.start = start;
        this.end = end;
        this.readers = List.copyOf(readers);
        this.rangeEnd = rangeEnd;
    }

    @Override
    public Processor<String, Object, String, Object> get() {
        return new Processor<>() {
            private ProcessorContext<String, Object> context;

            @Override
            public void init(ProcessorContext<String, Object> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, Object> record) {
                if (record.value() == null) {
                    // a tombstone has no block to place in the range: a dead letter, not a stopped backtest
                    throw PoisonRecordException.tombstone("source", record.key());
                }
                Cursor cursor = Cursor.ofSource(record.value());
                if (cursor.blockNumber() >= start && cursor.blockNumber() <= end) {
                    for (String reader : readers) {
                        context.forward(record, reader);
                    }
                }
                context.forward(record.withValue(new RangeSignal(cursor)), rangeEnd);
            }
        };
    }
}
