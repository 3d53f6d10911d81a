package io.pessimism.api;

import java.util.List;

/**
 * The body of {@code PUT|DELETE /v1/pipelines/{puuid}/addresses/{address}}: the owner whose
 * interest it is and (PUT) the event signatures to match, replacing that owner's earlier ones;
 * none (absent or empty) for a register that watches addresses only ({@code account_balance}).
 */
public record InterestRequest(List<String> signatures, String owner) {

    public InterestRequest {
        signatures = signatures == null ? List.of() : signatures;
    }
}
