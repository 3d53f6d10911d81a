package io.pessimism.oracle.support;

import io.pessimism.network.Network;
import io.pessimism.oracle.bench.BackfillBench;
import io.pessimism.oracle.bench.BlockMix;
import io.pessimism.testkit.anvil.Anvil;
import io.pessimism.testkit.kafka.KafkaCluster;
import java.util.List;

/**
 * Runs the backfill benchmark against an in-JVM broker and a fresh anvil, for working on the oracle
 * without the CLI: {@code BenchByHand <realistic blocks> <empty blocks> [batch] [concurrency] [warmups] [rounds]}.
 */
public final class BenchByHand {

    private BenchByHand() {
    }

    public static void main(String[] args) throws Exception {
        int realistic = Integer.parseInt(args[0]);
        int empty = Integer.parseInt(args[1]);
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int concurrency = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int warmups = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        try (KafkaCluster kafka = KafkaCluster.singleNode(); Anvil anvil = Anvil.builder().extraArgs("--gas-limit", "100000000").start()) {
            BackfillBench bench = new BackfillBench(anvil.httpUrl(), kafka.bootstrapServers(), TestTopics.blocks("pessimism", Network.LAYER1),
                    batch, concurrency, warmups, rounds, System.out);
            // empty first: anvil mines slower as its history grows, so the heavy mix goes last
            bench.run(List.of(BlockMix.empty(empty), BlockMix.realistic(realistic)));
        }
        System.exit(0);
    }
}
