package io.pessimism.topology;

import io.pessimism.avro.BacktestEnd;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.MergedInto;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * What every register's {@code <prefix>.out} value schema shares (DESIGN.md §3): the field
 * {@code envelope}, the nullable {@code value}, and the markers {@code mergedInto} and
 * {@code backtestEnd}. Read and built by field name, so the branch's generic nodes (a backtest's
 * {@link RangeEnd}) work for any register without knowing its class.
 *
 * @param <V> the register's output record type
 */
public final class OutputRecords<V extends SpecificRecord> {

    static final String ENVELOPE = "envelope";
    static final String BACKTEST_END = "backtestEnd";
    static final String MERGED_INTO = "mergedInto";
    static final String VALUE = "value";

    private final Class<V> type;
    private final Schema schema;
    private final int envelope;
    private final int backtestEnd;
    private final int mergedInto;
    private final int value;

    private OutputRecords(Class<V> type) {
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.envelope = position(ENVELOPE);
        this.backtestEnd = position(BACKTEST_END);
        this.mergedInto = position(MERGED_INTO);
        this.value = position(VALUE);
    }

    /**
     * The shared fields of an output type.
     *
     * @throws IllegalArgumentException naming the type and the field it lacks
     */
    public static <V extends SpecificRecord> OutputRecords<V> of(Class<V> type) {
        return new OutputRecords<>(type);
    }

    private int position(String field) {
        Schema.Field found = schema.getField(field);
        if (found == null) {
            throw new IllegalArgumentException("output type " + type.getName() + " has no field \"" + field
                    + "\": every <prefix>.out value schema has envelope, value, mergedInto and backtestEnd");
        }
        return found.pos();
    }

    public Envelope envelope(V record) {
        return (Envelope) record.get(envelope);
    }

    /** The register's typed record, null on a marker. */
    public Object value(V record) {
        return record.get(value);
    }

    /** A data record: this envelope and the register's typed record. */
    public V data(Envelope envelope, Object typed) {
        return record(envelope, value, typed);
    }

    /** A merge's hand-off marker's target, or null when the record is not one. */
    public MergedInto mergedInto(V record) {
        return (MergedInto) record.get(mergedInto);
    }

    /** Whether a record is a backtest's end marker. */
    public boolean isBacktestEnd(V record) {
        return record.get(backtestEnd) != null;
    }

    /** A backtest's end marker: this envelope (its cursor at the end height) and the marker, no value. */
    public V backtestEnd(Envelope cursor, BacktestEnd end) {
        return record(cursor, backtestEnd, end);
    }

    /** A merge's hand-off marker: this envelope (its cursor at the fence height H) and where to read on. */
    public V mergedInto(Envelope cursor, MergedInto target) {
        return record(cursor, mergedInto, target);
    }

    private V record(Envelope cursor, int field, Object content) {
        @SuppressWarnings("unchecked")
        V out = (V) SpecificData.get().newRecord(null, schema);
        out.put(envelope, cursor);
        out.put(field, content);
        return out;
    }
}
