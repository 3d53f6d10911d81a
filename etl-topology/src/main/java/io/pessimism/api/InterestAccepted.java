package io.pessimism.api;

import java.util.List;

/**
 * The answer to {@code PUT /v1/pipelines/{puuid}/addresses/{address}}: the interest as stored,
 * with the block from which it applies.
 */
public record InterestAccepted(String puuid, String address, String owner, List<String> signatures,
        long effectiveFrom) {
}
