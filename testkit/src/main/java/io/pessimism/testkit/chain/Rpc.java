package io.pessimism.testkit.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;

/** Sends one JSON-RPC request; a transport failure or an error answer throws, naming both. */
final class Rpc {

    private Rpc() {
    }

    static <R extends Response<?>> R send(Request<?, R> request, String rpcUrl) {
        String what = request.getMethod() + " " + request.getParams();
        try {
            R response = request.send();
            if (response.hasError()) {
                throw new IllegalStateException(what + " failed on " + rpcUrl + ": "
                        + response.getError().getMessage() + " (code " + response.getError().getCode() + ")");
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(what + " could not reach " + rpcUrl, e);
        }
    }
}
