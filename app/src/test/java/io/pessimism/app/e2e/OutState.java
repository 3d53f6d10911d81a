package io.pessimism.app.e2e;

import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * A one-partition {@code .out} as it is now, for crash tests that must strike inside an open
 * transaction: its committed records, its last stable offset and its high watermark (the offsets
 * between them belong to a transaction not yet decided).
 */
record OutState<V>(List<V> committed, long lastStable, long highWatermark) {

    static <V extends SpecificRecord> OutState<V> of(OutTopicReader<V> out, Admin admin, String topic)
            throws Exception {
        List<V> committed = out.readAll(topic);
        TopicPartition partition = new TopicPartition(topic, 0);
        return new OutState<>(committed, latest(admin, partition, IsolationLevel.READ_COMMITTED),
                latest(admin, partition, IsolationLevel.READ_UNCOMMITTED));
    }

    /** Whether a transaction not yet decided has written to one-partition {@code topic}, without reading it. */
    static boolean openTransaction(Admin admin, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        return latest(admin, partition, IsolationLevel.READ_UNCOMMITTED)
                > latest(admin, partition, IsolationLevel.READ_COMMITTED);
    }

    private static long latest(Admin admin, TopicPartition partition, IsolationLevel isolation) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                .partitionResult(partition).get().offset();
    }

    /** An open transaction has written to {@code .out}. */
    boolean open() {
        return highWatermark > lastStable;
    }

    @Override
    public String toString() {
        return committed.size() + " records committed, offsets " + lastStable + ".." + highWatermark + " undecided";
    }
}
