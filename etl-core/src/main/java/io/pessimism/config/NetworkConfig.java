package io.pessimism.config;

import io.pessimism.network.Network;
import java.time.Duration;
import java.util.Optional;

/** The typed settings of one network ({@code networks.<network>.*}). */
public record NetworkConfig(
        Network network,
        boolean enabled,
        String rpcUrl,
        Optional<String> wsUrl,
        Duration pollInterval,
        Duration requestTimeout,
        int confirmations,
        int batchSize,
        int concurrency,
        int reorgWindow,
        ContractCreations contractCreations) {
}
