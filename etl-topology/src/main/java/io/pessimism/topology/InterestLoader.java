package io.pessimism.topology;

import io.pessimism.avro.AddressInterest;
import io.pessimism.interest.InterestKey;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global interest store equal to the compacted {@code <ns>.state} topic: an interest is
 * put under its key {@code <PUUID>|<address>|<owner>}, a tombstone deletes it. It decodes the
 * values itself (the source reads bytes) so that one undecodable record is logged and counted,
 * naming its key and offset, instead of stopping the branch's global thread; the same happens to
 * a record whose key does not start with its value's PUUID.
 */
final class InterestLoader implements Processor<String, byte[], Void, Void> {

    private static final Logger log = LoggerFactory.getLogger(InterestLoader.class);

    private final Deserializer<AddressInterest> deserializer;
    private final AtomicLong rejected;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, AddressInterest> store;

    InterestLoader(Deserializer<AddressInterest> deserializer, AtomicLong rejected) {
        this.deserializer = deserializer;
        this.rejected = rejected;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.store = context.getStateStore(NodeNames.INTERESTS);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            reject(record, "it has no key");
            return;
        }
        if (record.value() == null) {
            store.delete(key);
            return;
        }
        AddressInterest interest;
        try {
            interest = deserializer.deserialize(topic(), record.value());
        } catch (RuntimeException e) {
            reject(record, "its value cannot be decoded: " + e.getMessage());
            return;
        }
        if (!key.startsWith(InterestKey.pipelinePrefix(interest.getPuuid()))) {
            reject(record, "its key does not start with its puuid " + interest.getPuuid());
            return;
        }
        store.put(key, interest);
    }

    private void reject(Record<String, byte[]> record, String why) {
        rejected.incrementAndGet();
        log.error("interest record {} at {} skipped: {}", record.key(), where(), why);
    }

    private String topic() {
        return context.recordMetadata().map(RecordMetadata::topic).orElse("<ns>.state");
    }

    private String where() {
        return context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                .orElse("<unknown offset>");
    }
}
