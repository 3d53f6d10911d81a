package io.pessimism.oracle.geth;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one oracle's time went since it started, summed per stage. The fetch threads fetch and encode;
 * the one writer thread waits for fetched chunks, sends and commits, so its three stages show which
 * side holds it up.
 *
 * @param fetch fetch threads, summed: JSON-RPC batches and mapping the replies to Avro
 * @param fetchCpu the part of {@code fetch} the fetch threads spent on a CPU (sending requests, parsing
 *                 replies, mapping them); the rest is waiting for the node (or for a core)
 * @param encode fetch threads, summed: serializing blocks to their record values
 * @param encodeCpu the part of {@code encode} on a CPU (less than it only when cores are contended)
 * @param headCheck writer thread: asking the node for its head ({@code eth_blockNumber}) before each transaction
 * @param waitForBlocks writer thread: waiting for the next fetched chunk
 * @param send writer thread: handing records to the producer, which compresses them (zstd) as they come
 * @param commit writer thread: {@code commitTransaction}, which flushes the transaction's records and
 *               writes its commit marker
 * @param writerCpu writer thread: CPU time spent in write transactions (sending, compressing, the loop)
 */
public record StageTimes(Duration fetch, Duration fetchCpu, Duration encode, Duration encodeCpu,
        Duration headCheck, Duration waitForBlocks, Duration send, Duration commit, Duration writerCpu) {

    /** The stages' names as metrics tag them, in the order of the components. */
    public static final List<String> STAGES = List.of("fetch", "fetch_cpu", "encode", "encode_cpu", "head_check",
            "wait_for_blocks", "send", "commit", "writer_cpu");

    public static final StageTimes ZERO = new StageTimes(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO,
            Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** Each stage's time under its name in {@link #STAGES}. */
    public Map<String, Duration> byStage() {
        List<Duration> times = List.of(fetch, fetchCpu, encode, encodeCpu, headCheck, waitForBlocks, send, commit,
                writerCpu);
        Map<String, Duration> byStage = new LinkedHashMap<>();
        for (int i = 0; i < STAGES.size(); i++) {
            byStage.put(STAGES.get(i), times.get(i));
        }
        return byStage;
    }

    public StageTimes plus(StageTimes other) {
        return new StageTimes(fetch.plus(other.fetch), fetchCpu.plus(other.fetchCpu), encode.plus(other.encode),
                encodeCpu.plus(other.encodeCpu), headCheck.plus(other.headCheck),
                waitForBlocks.plus(other.waitForBlocks), send.plus(other.send), commit.plus(other.commit),
                writerCpu.plus(other.writerCpu));
    }
}
