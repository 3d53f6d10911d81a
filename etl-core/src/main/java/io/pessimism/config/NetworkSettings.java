package io.pessimism.config;

import io.pessimism.network.Network;
import java.time.Duration;
import java.util.List;

/** The settings of one network, all under {@code networks.<network>.}. */
public record NetworkSettings(
        Network network,
        Setting<Boolean> enabled,
        Setting<String> rpcUrl,
        Setting<String> wsUrl,
        Setting<Duration> pollInterval,
        Setting<Duration> requestTimeout,
        Setting<Integer> confirmations,
        Setting<Integer> batchSize,
        Setting<Integer> concurrency,
        Setting<Integer> reorgWindow,
        Setting<ContractCreations> contractCreations) {

    /** Declares the settings of {@code network}. */
    static NetworkSettings declare(Network network) {
        String p = "networks." + network.label() + ".";
        String on = " on " + network.label();
        // Local dev nodes: layer1 on 8545 (anvil's default), layer2 on 9545.
        String defaultRpc = network == Network.LAYER1
                ? "http://127.0.0.1:8545" : "http://127.0.0.1:9545";
        return new NetworkSettings(network,
                Setting.of(p + "enabled", SettingType.BOOLEAN, true, Validator.any(),
                        "Whether oracles and pipelines run" + on + "."),
                Setting.of(p + "rpc-url", SettingType.STRING, defaultRpc,
                        Validator.url("http", "https"), "JSON-RPC endpoint of the node" + on + "."),
                Setting.optional(p + "ws-url", SettingType.STRING, Validator.url("ws", "wss"),
                        "WebSocket endpoint for newHeads" + on + "; polling when unset."),
                Setting.of(p + "poll-interval", SettingType.DURATION, Duration.ofSeconds(1),
                        Validator.atLeast(Duration.ofMillis(10)),
                        "How often the head is polled" + on + " when not subscribed."),
                Setting.of(p + "request-timeout", SettingType.DURATION, Duration.ofSeconds(30),
                        Validator.atLeast(Duration.ofMillis(100)),
                        "Timeout of one JSON-RPC request or batch" + on + "."),
                Setting.of(p + "confirmations", SettingType.INT, 0, Validator.atLeast(0),
                        "Blocks emitted only once this many blocks deep" + on
                                + " (0: at the head, reorgs retracted)."),
                Setting.of(p + "batch-size", SettingType.INT, 100, Validator.between(1, 10_000),
                        "Requests per JSON-RPC batch when catching up" + on + "."),
                Setting.of(p + "concurrency", SettingType.INT, 4, Validator.between(1, 64),
                        "Batches in flight at once when catching up" + on + "."),
                Setting.of(p + "reorg-window", SettingType.INT, 64,
                        Validator.between(1, 1_000_000),
                        "Block hashes kept for reorg detection" + on
                                + "; a deeper reorg puts pipelines in Error."),
                // receipts by default: fetched only for contract-creating transactions, in the batch
                // of the logs, so blocks without a creation cost nothing more; traces cost a
                // re-execution of every block with transactions, so they are asked for
                Setting.of(p + "contract-creations", SettingType.CONTRACT_CREATIONS,
                        ContractCreations.RECEIPTS,
                        new Validator<>("one of " + ContractCreations.labels(), value -> true),
                        "What the GethBlock oracle" + on + " fetches about created contracts: off; "
                                + "receipts (the receipt of each contract-creating transaction, "
                                + "no cost for blocks without one); traces (also contracts created "
                                + "inside calls, from debug_traceBlockByHash with callTracer: a node "
                                + "with the debug namespace, one trace per block with transactions). "
                                + "contract_create_tx pipelines emit what it fetched."));
    }

    /** Every setting of the network, in declaration order. */
    public List<Setting<?>> all() {
        return List.of(enabled, rpcUrl, wsUrl, pollInterval, requestTimeout, confirmations,
                batchSize, concurrency, reorgWindow, contractCreations);
    }
}
