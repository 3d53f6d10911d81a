package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.ProcessorFactory;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The processor of a bench-only pipe over {@code geth_block}: every block, as it came, in the
 * register's envelope. It lets a bench start as many real branches as it needs PIDs when the
 * standard catalogue implements fewer registers.
 */
public final class BlockRelayFactory implements ProcessorFactory {

    private final String register;

    public BlockRelayFactory(String register) {
        this.register = register;
    }

    @Override
    public String register() {
        return register;
    }

    @Override
    public Class<GethBlockOutput> outputType() {
        return GethBlockOutput.class;
    }

    @Override
    public ProcessorSupplier<String, Block, String, GethBlockOutput> processor(ComponentContext context) {
        EnvelopeTemplate envelopes = new EnvelopeTemplate(context);
        return () -> new Processor<>() {
            private ProcessorContext<String, GethBlockOutput> ctx;

            @Override
            public void init(ProcessorContext<String, GethBlockOutput> ctx) {
                this.ctx = ctx;
            }

            @Override
            public void process(Record<String, Block> record) {
                Block block = record.value();
                var cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
                ctx.forward(record.withValue(new GethBlockOutput(envelopes.envelope(cursor, null, List.of(),
                        record.timestamp(), ctx.currentSystemTimeMs()), block, null)));
            }
        };
    }
}
