package io.pessimism.config;

import java.util.Optional;

/**
 * The REST API's settings; {@link #toString()} masks the token.
 *
 * @param rateLimit requests a second each client (by address) may make on average; 0: no limit
 * @param rateBurst requests a client may make at once
 */
public record ApiConfig(String host, int port, Optional<String> token, int maxRequestBytes, int rateLimit,
        int rateBurst) {

    /** Without a rate limit (tests that send many requests from one client). */
    public ApiConfig(String host, int port, Optional<String> token, int maxRequestBytes) {
        this(host, port, token, maxRequestBytes, 0, 1);
    }

    /** Whether clients are rate-limited at all. */
    public boolean rateLimited() {
        return rateLimit > 0;
    }

    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", token="
                + token.map(t -> "****").orElse("<unset>") + ", maxRequestBytes="
                + maxRequestBytes + ", rateLimit=" + rateLimit + "/s, rateBurst=" + rateBurst + "]";
    }
}
