package io.pessimism.oracle.geth;

import java.util.Map;

/**
 * How the oracle creates its topic. One partition always: the topic is one ordered chain.
 *
 * @param replicationFactor -1 lets the broker's default decide
 * @param retentionMs -1 keeps history forever (backtests replay it)
 * @param maxMessageBytes large enough for the biggest block with its logs
 */
public record BlockTopicSpec(short replicationFactor, long retentionMs, int maxMessageBytes) {

    public static final int DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    public BlockTopicSpec {
        if (replicationFactor != -1 && replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be -1 (broker default) or at least 1, got "
                    + replicationFactor);
        }
        if (retentionMs != -1 && retentionMs < 1) {
            throw new IllegalArgumentException("retentionMs must be -1 (forever) or positive, got " + retentionMs);
        }
        if (maxMessageBytes < 1024 * 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1 MiB, got " + maxMessageBytes);
        }
    }

    public static BlockTopicSpec defaults() {
        return new BlockTopicSpec((short) -1, -1, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** The topic-level configs, explicit so a broker's defaults cannot delete history or reject a big block. */
    public Map<String, String> configs() {
        return Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(retentionMs),
                "retention.bytes", "-1",
                "max.message.bytes", Integer.toString(maxMessageBytes),
                "compression.type", "zstd",
                // Record timestamps are the oracle's wall clock (never block time), so the default
                // CreateTime is right; stated for the reader of the topic's configs.
                "message.timestamp.type", "CreateTime");
    }
}
