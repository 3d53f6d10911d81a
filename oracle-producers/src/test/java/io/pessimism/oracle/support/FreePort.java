package io.pessimism.oracle.support;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback port nobody listens on right now. */
final class FreePort {

    private FreePort() {
    }

    static int pick() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
