package io.pessimism.config;

import java.util.Locale;

/** Whether a bind address is loopback, decided from its text alone (no DNS lookup at start). */
final class Loopback {

    private Loopback() {
    }

    static boolean is(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1")
                || h.equals("[::1]") || h.equals("0:0:0:0:0:0:0:1");
    }
}
