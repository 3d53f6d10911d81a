package io.pessimism.app.service;

import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleProducers;
import io.pessimism.oracle.OracleSession;
import io.pessimism.oracle.OracleSessions;
import io.pessimism.oracle.OracleSettings;
import io.pessimism.oracle.OracleState;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.OracleTopic;
import io.pessimism.oracle.TopicTail;
import io.pessimism.oracle.rpc.BlockHeader;
import io.pessimism.oracle.rpc.NewHeadsSignal;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The test_head oracle's work on the shared runner: a session is a transactional producer whose
 * position is the last height on its topic; a step writes, in one transaction, a record for each
 * height from there up to the node's head (key: the height; value: a block with only its number,
 * hash and parent), or waits for the head to move. The node client is closed with the sessions.
 */
final class TestHeadSessions implements OracleSessions {

    private final OracleSettings settings;
    private final NodeClient node;
    private final Topic<String, Block> topic;
    private final AtomicReference<OracleStatus> status;
    private final NewHeadsSignal heads = NewHeadsSignal.pollingOnly();

    TestHeadSessions(OracleSettings settings, NodeClient node, Topic<String, Block> topic,
            AtomicReference<OracleStatus> status) {
        this.settings = settings;
        this.node = node;
        this.topic = topic;
        this.status = status;
    }

    @Override
    public OracleSession open() {
        OracleTopic.ensure(settings.kafka(), topic, settings.replicationFactor());
        KafkaProducer<String, Block> producer = new KafkaProducer<>(
                OracleProducers.config(settings, topic.name(), Map.of()),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
        try {
            producer.initTransactions();
            long last = TopicTail.last(settings.kafka(), topic.name(), topic.valueSerde().deserializer())
                    .map(Block::getNumber).orElse(settings.startHeight() - 1);
            status.updateAndGet(s -> s.withOracleHead(last));
            return new Session(producer, last);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    @Override
    public void close() {
        heads.close();
        node.close();
    }

    private final class Session implements OracleSession {

        private final KafkaProducer<String, Block> producer;
        private long last;

        Session(KafkaProducer<String, Block> producer, long last) {
            this.producer = producer;
            this.last = last;
        }

        @Override
        public boolean step() {
            long head = node.headNumber();
            status.updateAndGet(s -> s.withNodeHead(head));
            if (head <= last) {
                status.updateAndGet(s -> s.withState(OracleState.LIVE));
                try {
                    heads.await(settings.pollInterval());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            }
            List<BlockHeader> headers = node.headers(last + 1, Math.min(head, last + settings.batchSize()));
            producer.beginTransaction(); // after the node's answer: a node error leaves nothing open
            for (BlockHeader header : headers) {
                producer.send(new ProducerRecord<>(topic.name(), 0, Long.toString(header.number()), record(header)));
            }
            producer.commitTransaction();
            last = headers.get(headers.size() - 1).number();
            status.updateAndGet(s -> s.withOracleHead(last).withState(OracleState.LIVE));
            return false;
        }

        private Block record(BlockHeader header) {
            return Block.newBuilder().setNetwork(settings.network().label()).setNumber(header.number())
                    .setHash(header.hash()).setParentHash(header.parentHash()).setTimestamp(0).setMiner("")
                    .setGasUsed(0).setGasLimit(0).setStateRoot("").setReceiptsRoot("").setLogsBloom("")
                    .setTransactions(List.of()).setLogs(List.of()).build();
        }

        @Override
        public void wake() {
            heads.wake();
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
