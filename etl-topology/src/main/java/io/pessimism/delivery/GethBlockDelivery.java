package io.pessimism.delivery;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.topology.BlockRecordProcessor;
import io.pessimism.topology.BlockRecords;
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
final class GethBlockDelivery extends BlockRecordProcessor<GethBlockOutput> {

    GethBlockDelivery(BlockRecords blocks) {
        super(blocks);
    }

    @Override
    protected void emit(Block block, Record<String, Block> source, long now) {
        GethBlockOutput output = new GethBlockOutput();
        output.setEnvelope(blocks.envelope(block, source, now));
        output.setValue(block);
        output.setMergedInto(null);
        forward(block, output, source);
    }
}
