package io.pessimism.topology;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The node on one input edge of an aggregator ({@link NodeNames#input}): wraps each record in a
 * {@link Tagged} with the edge's dependency index, so the aggregator knows which input a record
 * came from. A Kafka Streams processor with several parents cannot tell them apart: the record
 * metadata names the source topic, which two inputs may share (a pipe over geth_block@layer1 and
 * geth_block@layer1 itself), and is unset for records a punctuator forwards. One stateless node
 * per edge works whatever the input is (a source, a pipe, a backtest's range gate) and shows in
 * {@code describe()} as the edge it is.
 */
final class InputTag implements ProcessorSupplier<String, Object, String, Object> {

    private final int input;

    InputTag(int input) {
        this.input = input;
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
                context.forward(record.withValue(new Tagged(input, record.value())));
            }
        };
    }
}
