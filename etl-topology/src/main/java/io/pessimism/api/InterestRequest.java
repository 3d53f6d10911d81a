package io.pessimism.api;

import java.util.List;

/**
 * The body of {@code PUT|DELETE /v1/pipelines/{puuid}/addresses/{address}}: the owner whose
 * interest it is and (PUT) the event signatures to match, replacing that owner's earlier ones.
 */
public record InterestRequest(List<String> signatures, String owner) {

    public InterestRequest {
        signatures = signatures == null ? List.of() : signatures;
    }
}
