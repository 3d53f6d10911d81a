package io.pessimism.oracle.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** anvil on a free loopback port, from the repo's pinned npm package. */
public final class LocalAnvil implements AutoCloseable {

    private final Process process;
    private final int port;

    private LocalAnvil(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static LocalAnvil start(String... extraArgs) {
        Path binary = Path.of(System.getProperty("pessimism.repo.root", "../"))
                .resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("anvil not found at " + binary + "; run npm install at the repo root");
        }
        int port = freePort();
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--quiet"));
        command.addAll(List.of(extraArgs));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            // anvil answers within tens of ms; wait for the port to accept connections
            Awaitility.await("anvil listening on " + port).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20)).until(() -> accepts(port));
            return new LocalAnvil(process, port);
        } catch (IOException e) {
            throw new IllegalStateException("could not start anvil", e);
        }
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
