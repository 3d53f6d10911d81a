package io.pessimism.oracle.bench;

import io.pessimism.oracle.geth.StageTimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the oracle's passes over a mix spent their time, and what that says limits them. The writer
 * thread is the serial point (fetch threads only run ahead by {@code fetchThreads} chunks), so the
 * stage it spends most of the pass in is the limit: waiting for fetched blocks means the fetch side
 * (then the largest of waiting for the node, parsing its replies and encoding blocks), otherwise the
 * Kafka send or commit. When the machine's cores are (nearly) all busy, the cores are the limit: every
 * stage is then slowed by the others, the node and the broker sharing them, so the verdict says who
 * used the CPU (the oracle's fetch threads, its writer thread, the rest of this JVM, everything outside
 * it) and, after that, where the writer thread waited.
 *
 * @param wall the timed passes' wall time, summed
 * @param stages the same passes' stage times, summed
 * @param machineCpu the whole machine's CPU use over the passes, 0..1 (other processes included)
 * @param processCpu this JVM's share of the machine's CPU over the passes, 0..1 (the benchmark's broker
 *                   runs in it too)
 * @param cores the machine's cores
 */
public record TimeBreakdown(Duration wall, StageTimes stages, int fetchThreads, double machineCpu,
        double processCpu, int cores) {

    /** Machine CPU use from which the limit is said to be the cores themselves. */
    static final double CPU_BOUND = 0.9;

    public double headCheckShare() {
        return share(stages.headCheck());
    }

    public double waitShare() {
        return share(stages.waitForBlocks());
    }

    public double sendShare() {
        return share(stages.send());
    }

    public double commitShare() {
        return share(stages.commit());
    }

    /** Window upkeep, beginning transactions, status: the writer thread's time not in a stage. */
    public double otherShare() {
        return Math.max(0, 1 - headCheckShare() - waitShare() - sendShare() - commitShare());
    }

    /** How busy the fetch threads were, 0..1: fetch plus encode over wall time times threads. */
    public double fetchThreadsBusy() {
        return (stages.fetch().toNanos() + stages.encode().toNanos()) / ((double) wall.toNanos() * fetchThreads);
    }

    /** Fetch-thread time in JSON-RPC calls not on a CPU: waiting for the node's replies (or for a free core). */
    public Duration nodeWait() {
        return stages.fetch().minus(stages.fetchCpu());
    }

    /** The oracle's fetch threads' CPU (parsing replies, encoding) as a share of the machine's cores. */
    public double fetchThreadsCpu() {
        return capacityShare(stages.fetchCpu().plus(stages.encodeCpu()));
    }

    public double writerCpu() {
        return capacityShare(stages.writerCpu());
    }

    /** The broker, the producer's I/O thread, GC and JIT: this JVM's CPU not spent by the oracle's threads. */
    public double restOfJvmCpu() {
        return Math.max(0, processCpu - fetchThreadsCpu() - writerCpu());
    }

    /** The node and whatever else runs on the machine. */
    public double outsideJvmCpu() {
        return Math.max(0, machineCpu - processCpu);
    }

    public String limit() {
        if (machineCpu < CPU_BOUND) {
            return stage();
        }
        List<Map.Entry<String, Double>> users = new ArrayList<>(List.of(
                Map.entry("node and other users (outside this JVM)", outsideJvmCpu()),
                Map.entry("broker and the rest of this JVM", restOfJvmCpu()),
                Map.entry("oracle fetch threads", fetchThreadsCpu()),
                Map.entry("oracle writer", writerCpu())));
        users.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        StringBuilder byUser = new StringBuilder();
        for (Map.Entry<String, Double> user : users) {
            byUser.append(byUser.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.0f%%", user.getKey(), 100 * user.getValue()));
        }
        return String.format(Locale.ROOT, "CPU, %.0f%% of %d cores busy; by user: %s (the writer thread's largest"
                + " stage: %s)", 100 * machineCpu, cores, byUser, writerStage());
    }

    /** The writer thread's largest stage with its share, for when the cores, not a stage, are the limit. */
    private String writerStage() {
        List<Map.Entry<String, Double>> stages = new ArrayList<>(List.of(
                Map.entry("head checks", headCheckShare()), Map.entry("waiting for fetched blocks", waitShare()),
                Map.entry("send", sendShare()), Map.entry("commit", commitShare()), Map.entry("other", otherShare())));
        Map.Entry<String, Double> largest = Collections.max(stages, Map.Entry.comparingByValue());
        return String.format(Locale.ROOT, "%s, %.0f%%", largest.getKey(), 100 * largest.getValue());
    }

    /** The writer thread's largest stage and, when it waits for blocks, the largest part of the fetch side. */
    private String stage() {
        double head = headCheckShare();
        double wait = waitShare();
        double send = sendShare();
        double commit = commitShare();
        double other = otherShare();
        if (head > wait && head >= send && head >= commit && head >= other) {
            return "head checks (eth_blockNumber before each transaction)";
        }
        if (wait >= send && wait >= commit && wait >= other) {
            Duration node = nodeWait();
            Duration parse = stages.fetchCpu();
            Duration encode = stages.encode();
            if (node.compareTo(parse) >= 0 && node.compareTo(encode) >= 0) {
                return "node fetch (waiting for JSON-RPC replies)";
            }
            return parse.compareTo(encode) >= 0 ? "reply parsing (JSON to Avro on the fetch threads)"
                    : "block encoding (on the fetch threads)";
        }
        if (commit >= send && commit >= other) {
            return "Kafka commit";
        }
        return send >= other ? "Kafka send" : "the oracle's own loop";
    }

    public String line() {
        return String.format(Locale.ROOT, "writer thread: head checks %.0f%%, waiting for fetched blocks %.0f%%,"
                + " send %.0f%%, commit %.0f%%, other %.0f%%; fetch threads (%d, busy %.0f%%): off CPU (node or a"
                + " free core) %.1f s, parsing replies %.1f s, encoding %.1f s; CPU: machine %.0f%%, this JVM"
                + " (oracle + broker) %.0f%% -> limited by: %s",
                100 * headCheckShare(), 100 * waitShare(), 100 * sendShare(), 100 * commitShare(), 100 * otherShare(),
                fetchThreads, 100 * fetchThreadsBusy(), seconds(nodeWait()), seconds(stages.fetchCpu()),
                seconds(stages.encode()), 100 * machineCpu, 100 * processCpu, limit());
    }

    private double capacityShare(Duration cpu) {
        return wall.isZero() ? 0 : cpu.toNanos() / ((double) wall.toNanos() * cores);
    }

    private double share(Duration stage) {
        return wall.isZero() ? 0 : (double) stage.toNanos() / wall.toNanos();
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
