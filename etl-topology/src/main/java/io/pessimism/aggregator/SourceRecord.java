package io.pessimism.aggregator;

import io.pessimism.avro.Block;
import io.pessimism.avro.BlockReference;
import io.pessimism.avro.Envelope;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What an aggregator keeps of one input record: the block it stands for, and whether it retracts
 * that block (the block was orphaned). An input is a block topic ({@link Block}) or a pipe whose
 * {@code .out}-shaped records carry a block as their value (envelope and value, as
 * {@code GethBlockOutput}); a record of another shape cannot be placed in time and is an error
 * naming the input.
 */
record SourceRecord(BlockReference block, boolean removed) {

    /** The block and retraction flag of {@code value}, read from input {@code source}. */
    static SourceRecord of(Object value, String source) {
        if (value instanceof Block block) {
            return new SourceRecord(reference(block), block.getRemoved());
        }
        if (value instanceof SpecificRecord record) {
            Schema schema = record.getSchema();
            Schema.Field envelope = schema.getField("envelope");
            Schema.Field typed = schema.getField("value");
            if (envelope != null && typed != null && record.get(typed.pos()) instanceof Block block
                    && record.get(envelope.pos()) instanceof Envelope cursor) {
                return new SourceRecord(reference(block), cursor.getRemoved());
            }
        }
        throw new IllegalArgumentException("aggregator input " + source + " sent a "
                + (value == null ? "null" : value.getClass().getName()) + " record: an aggregator places records "
                + "by block time, so its inputs are blocks or records whose value is a block");
    }

    static BlockReference reference(Block block) {
        return BlockReference.newBuilder().setNetwork(block.getNetwork()).setNumber(block.getNumber())
                .setHash(block.getHash()).setTimestamp(block.getTimestamp()).build();
    }
}
