package io.pessimism.config;

import java.util.Optional;

/** The REST API's settings; {@link #toString()} masks the token. */
public record ApiConfig(String host, int port, Optional<String> token, int maxRequestBytes) {

    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", token="
                + token.map(t -> "****").orElse("<unset>") + ", maxRequestBytes="
                + maxRequestBytes + "]";
    }
}
