package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.Log;
import io.pessimism.pipe.EventLogs;
import io.pessimism.topic.Topic;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code bench pipe}'s hand-written baseline: a Kafka Streams job that emits the records the
 * event_log branch emits (the same envelope, typed record, key and output serde) for a fixed set
 * of watched (address, topic0) pairs, held in a map. What it lacks is what the generated topology
 * adds: interests read from {@code <ns>.state} into a global store and looked up per block, the
 * interest horizon's gate, progress tracking and counters. The branch's rate over this job's is
 * what the generated topology costs.
 */
final class EventLogFilter implements Processor<String, Block, String, EventLogOutput> {

    /** A watched pair: a lowercase address and an event's topic0. */
    record Watch(String address, String topic0) {
    }

    private final Map<Watch, List<String>> owners;
    private final EnvelopeTemplate envelopes;
    private ProcessorContext<String, EventLogOutput> context;

    private EventLogFilter(Map<Watch, List<String>> owners, EnvelopeTemplate envelopes) {
        this.owners = owners;
        this.envelopes = envelopes;
    }

    @Override
    public void init(ProcessorContext<String, EventLogOutput> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Block> record) {
        Block block = record.value();
        Cursor cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
        long now = context.currentSystemTimeMs();
        for (Log entry : block.getLogs()) {
            String address = entry.getAddress().toLowerCase(Locale.ROOT);
            List<String> watching = owners.get(new Watch(address,
                    entry.getTopics().isEmpty() ? null : entry.getTopics().get(0)));
            if (watching == null) {
                continue;
            }
            EventLogOutput output = new EventLogOutput();
            output.setEnvelope(envelopes.envelope(cursor, address, watching, record.timestamp(), now));
            output.setValue(EventLogs.of(block, entry, address));
            output.setMergedInto(null);
            context.forward(new Record<>(address, output, record.timestamp()));
        }
    }

    /**
     * The job: {@code blocks} in, the matching logs of the pairs {@code owners} maps (to the owners
     * watching each) out to {@code out}, in the envelope of {@code envelopes}.
     */
    static Topology topology(Topic<String, Block> blocks, Topic<String, EventLogOutput> out, EnvelopeTemplate envelopes,
            Map<Watch, List<String>> owners) {
        Map<Watch, List<String>> fixed = Map.copyOf(owners);
        Topology topology = new Topology();
        topology.addSource("blocks", blocks.keySerde().deserializer(), blocks.valueSerde().deserializer(),
                blocks.name());
        topology.addProcessor("filter", () -> new EventLogFilter(fixed, envelopes), "blocks");
        topology.addSink("out", out.name(), Serdes.String().serializer(), out.valueSerde().serializer(), "filter");
        return topology;
    }
}
