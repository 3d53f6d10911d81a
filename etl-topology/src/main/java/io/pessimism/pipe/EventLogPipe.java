package io.pessimism.pipe;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.Log;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestIndex;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.HorizonGate;
import io.pessimism.topology.InterestStore;
import io.pessimism.topology.PoisonRecordException;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The seed's event_log pipe, a pure function of each {@code geth_block} record and of its
 * pipeline's interests: every log of the block whose (address, topic0) pair an interest effective
 * at that block watches is emitted once, keyed by its lowercase address and tagged with exactly
 * the owners watching that pair. A retracted block ({@code removed=true}) re-emits the same
 * matching logs with {@code removed=true}, so a consumer can undo them.
 *
 * <p>A block is matched only once its network's {@link InterestHorizon} has reached it, so every
 * interest effective at the block is loaded: the {@link HorizonGate} holds it until then.
 * Interests are those effective at the block when it is matched: an interest withdrawn between a
 * block and its retraction does not retract that block's records.
 */
final class EventLogPipe implements Processor<String, Block, String, EventLogOutput> {

    private final String puuid;
    private final HorizonGate<Block> gate;
    private final EnvelopeTemplate envelopes;
    private ProcessorContext<String, EventLogOutput> context;

    EventLogPipe(String puuid, HorizonGate<Block> gate, EnvelopeTemplate envelopes) {
        this.puuid = puuid;
        this.gate = gate;
        this.envelopes = envelopes;
    }

    @Override
    public void init(ProcessorContext<String, EventLogOutput> context) {
        this.context = context;
        gate.init(context, this::match);
    }

    @Override
    public void process(Record<String, Block> record) {
        Block block = record.value();
        if (block == null) {
            throw PoisonRecordException.tombstone("block", record.key());
        }
        if (block.getLogs().isEmpty()) {
            return; // nothing to match, so nothing to keep in order
        }
        gate.offer(block, record.timestamp());
    }

    private void match(Block block, long timestamp) {
        InterestIndex index = InterestIndex.effectiveAt(InterestStore.of(gate.interests(), puuid), block.getNumber());
        if (index.isEmpty()) {
            return;
        }
        Cursor cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
        long now = context.currentSystemTimeMs();
        for (Log entry : block.getLogs()) {
            List<String> owners = index.owners(entry.getAddress(),
                    entry.getTopics().isEmpty() ? null : entry.getTopics().get(0));
            if (owners.isEmpty()) {
                continue;
            }
            String address = entry.getAddress().toLowerCase(Locale.ROOT);
            EventLogOutput output = new EventLogOutput();
            output.setEnvelope(envelopes.envelope(cursor, address, owners, timestamp, now));
            output.setValue(EventLogs.of(block, entry, address));
            output.setMergedInto(null);
            context.forward(new Record<>(address, output, timestamp));
        }
    }
}
