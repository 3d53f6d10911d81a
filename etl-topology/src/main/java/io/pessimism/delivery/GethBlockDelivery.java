package io.pessimism.delivery;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.topology.BlockRecords;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The geth_block register as a pipeline: every block of the oracle's topic from the pipeline's
 * start, with its transactions and logs, as a {@code GethBlockOutput} keyed by the block number;
 * a retraction ({@code removed=true}) passes through with {@code envelope.removed=true}.
 *
 * <p>Blocks are not addressable, so a record is not for some owners rather than others: its
 * envelope's {@code owners} is empty, meaning every owner of the pipeline. Blocks below the
 * pipeline's start are not delivered ({@link BlockRecords}).
 */
final class GethBlockDelivery implements Processor<String, Block, String, GethBlockOutput> {

    private final BlockRecords blocks;
    private ProcessorContext<String, GethBlockOutput> context;

    GethBlockDelivery(BlockRecords blocks) {
        this.blocks = blocks;
    }

    @Override
    public void init(ProcessorContext<String, GethBlockOutput> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Block> record) {
        Block block = blocks.delivered(record);
        if (block == null) {
            return;
        }
        GethBlockOutput output = new GethBlockOutput();
        output.setEnvelope(blocks.envelope(block, record, context.currentSystemTimeMs()));
        output.setValue(block);
        output.setMergedInto(null);
        context.forward(BlockRecords.record(block, output, record));
    }
}
