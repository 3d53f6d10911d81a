package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.topic.Topic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code bench pipe}'s ceiling: a hand-written Kafka Streams job that reads the block topic with
 * the branch's source serde, decodes every block, counts it and writes nothing. Run with a branch's
 * properties (exactly once, commit interval), it does the read, decode and commit work any branch
 * on this topic must do, and no more, so no branch can be faster.
 */
final class DecodeAndDrop implements Processor<String, Block, Void, Void> {

    private final PipeOutputCheck.Decoded decoded;

    private DecodeAndDrop(PipeOutputCheck.Decoded decoded) {
        this.decoded = decoded;
    }

    @Override
    public void process(Record<String, Block> record) {
        decoded.accept(record.value());
    }

    /** The job over {@code blocks}, counting into {@code decoded}. */
    static Topology topology(Topic<String, Block> blocks, PipeOutputCheck.Decoded decoded) {
        Topology topology = new Topology();
        topology.addSource("blocks", blocks.keySerde().deserializer(), blocks.valueSerde().deserializer(),
                blocks.name());
        topology.addProcessor("decode-and-drop", () -> new DecodeAndDrop(decoded), "blocks");
        return topology;
    }
}
