package io.pessimism.delivery;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.PoisonRecordException;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The geth_block register as a pipeline: every block of the oracle's topic from the pipeline's
 * start, with its transactions and logs, as a {@code GethBlockOutput} keyed by the block number;
 * a retraction ({@code removed=true}) passes through with {@code envelope.removed=true}.
 *
 * <p>Blocks are not addressable, so a record is not for some owners rather than others: its
 * envelope's {@code owners} is empty, meaning every owner of the pipeline. A block below the
 * pipeline's start (read only when a reorg crosses the start: the orphan's retraction, then its
 * replacement) is not delivered, since the pipeline never delivered the orphan.
 */
final class GethBlockDelivery implements Processor<String, Block, String, GethBlockOutput> {

    /** Every owner of the pipeline: a block is for all who asked for blocks. */
    private static final List<String> EVERY_OWNER = List.of();

    private final long startHeight;
    private final EnvelopeTemplate envelopes;
    private ProcessorContext<String, GethBlockOutput> context;

    GethBlockDelivery(long startHeight, EnvelopeTemplate envelopes) {
        this.startHeight = startHeight;
        this.envelopes = envelopes;
    }

    @Override
    public void init(ProcessorContext<String, GethBlockOutput> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Block> record) {
        Block block = record.value();
        if (block == null) {
            throw PoisonRecordException.tombstone("block", record.key());
        }
        if (block.getNumber() < startHeight) {
            return;
        }
        Cursor cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
        GethBlockOutput output = new GethBlockOutput();
        output.setEnvelope(envelopes.envelope(cursor, null, EVERY_OWNER, record.timestamp(),
                context.currentSystemTimeMs()));
        output.setValue(block);
        output.setMergedInto(null);
        context.forward(new Record<>(Long.toString(block.getNumber()), output, record.timestamp()));
    }
}
