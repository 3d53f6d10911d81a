package io.pessimism.pipe;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLog;
import io.pessimism.avro.Log;

/** The event_log register's typed record of one log of a block, as the pipe emits it. */
public final class EventLogs {

    private EventLogs() {
    }

    /** {@code log} of {@code block}, under its lowercase {@code address}, retracted when the block is. */
    public static EventLog of(Block block, Log log, String address) {
        EventLog event = new EventLog();
        event.setNetwork(block.getNetwork());
        event.setAddress(address);
        event.setTopics(log.getTopics());
        event.setData(log.getData());
        event.setBlockNumber(block.getNumber());
        event.setBlockHash(block.getHash());
        event.setTransactionHash(log.getTransactionHash());
        event.setTransactionIndex(log.getTransactionIndex());
        event.setLogIndex(log.getLogIndex());
        event.setRemoved(block.getRemoved());
        return event;
    }
}
