package io.pessimism.topology;

import io.pessimism.avro.Block;
import io.pessimism.avro.Envelope;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What the processors share that turn a pipeline's blocks into records for every owner (registers
 * without interests: the geth_block delivery, the contract_create_tx pipe): which blocks they read,
 * and how a record derived from a block is addressed.
 *
 * <p>A record without value is poison. A block below the pipeline's start is not delivered: it is read
 * only when a reorg crosses the start (the orphan's retraction, then its replacement), and the pipeline
 * never delivered the orphan. A record derived from a block carries the block's cursor (removed on a
 * retraction, so a retracted block re-emits its records with {@code removed=true}), is for every owner of
 * the pipeline ({@code owners} empty, no address), is keyed by the block number and keeps the block
 * record's timestamp.
 */
public final class BlockRecords {

    /** Every owner of the pipeline: such a record is for all who asked for the register. */
    private static final List<String> EVERY_OWNER = List.of();

    private final long startHeight;
    private final EnvelopeTemplate envelopes;

    public BlockRecords(ComponentContext context) {
        this.startHeight = context.branch().startHeight();
        this.envelopes = new EnvelopeTemplate(context);
    }

    /**
     * The block of a source record, or null when the pipeline does not deliver it (below its start).
     *
     * @throws PoisonRecordException on a record without value
     */
    public Block delivered(Record<String, Block> record) {
        Block block = record.value();
        if (block == null) {
            throw PoisonRecordException.tombstone("block", record.key());
        }
        return block.getNumber() < startHeight ? null : block;
    }

    /**
     * The envelope of a record derived from {@code block}.
     *
     * @param source the block's record, whose timestamp is the envelope's {@code originTs}
     * @param now    when the record is emitted
     */
    public Envelope envelope(Block block, Record<String, Block> source, long now) {
        Cursor cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
        return envelopes.envelope(cursor, null, EVERY_OWNER, source.timestamp(), now);
    }

    /** The record of {@code value}, derived from {@code source}'s block: keyed by its number, at its timestamp. */
    public static <V> Record<String, V> record(Block block, V value, Record<String, Block> source) {
        return new Record<>(Long.toString(block.getNumber()), value, source.timestamp());
    }
}
