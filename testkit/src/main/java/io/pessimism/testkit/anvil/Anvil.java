package io.pessimism.testkit.anvil;

import io.pessimism.testkit.process.ChildProcess;
import io.pessimism.testkit.process.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An anvil Ethereum dev node as a child process on a free loopback port.
 *
 * <pre>{@code
 * try (Anvil anvil = Anvil.builder().chainId(10).blockTime(2).start()) {
 *     ... anvil.httpUrl() ...
 * }
 * }</pre>
 *
 * <p>Without a block time anvil mines one block per transaction (automine). A missing binary skips
 * the test, or fails it on CI: see {@link AnvilBinary#require()}.
 */
public final class Anvil implements AutoCloseable {

    public static final long DEFAULT_CHAIN_ID = 31337;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern RESULT = Pattern.compile("\"result\"\\s*:\\s*\"0x([0-9a-fA-F]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final long chainId;
    private final long blockTimeSeconds;
    private final boolean noMining;
    private final List<String> extraArgs;
    private final int port;
    private Path logFile;
    private ChildProcess process;

    private Anvil(Builder builder) {
        this.chainId = builder.chainId;
        this.blockTimeSeconds = builder.blockTimeSeconds;
        this.noMining = builder.noMining;
        this.extraArgs = List.copyOf(builder.extraArgs);
        this.port = FreePort.allocate();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Launches anvil and waits until it answers {@code eth_chainId} with the configured chain id. */
    public synchronized Anvil start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("anvil on port " + port + " is already running");
        }
        Path binary = AnvilBinary.require();
        List<String> command = new ArrayList<>(List.of(binary.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(chainId), "--quiet"));
        if (blockTimeSeconds > 0) {
            command.addAll(List.of("--block-time", Long.toString(blockTimeSeconds)));
        }
        if (noMining) {
            command.add("--no-mining");
        }
        command.addAll(extraArgs);
        try {
            logFile = Files.createTempFile("anvil-" + port + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a log file for anvil", e);
        }
        process = ChildProcess.start("anvil on port " + port, command, logFile);
        process.awaitReady(START_TIMEOUT, () -> answeredChainId() == chainId);
        return this;
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return chainId;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL; the chain is gone (anvil keeps it in memory). */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    @Override
    public synchronized void close() {
        kill();
        if (logFile != null) {
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                // a leftover temp file is harmless; the node itself is already gone
            }
        }
    }

    /** The chain id anvil reports; throws while it is not answering yet. */
    private long answeredChainId() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl()))
                .timeout(Duration.ofSeconds(1))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .build();
        String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = RESULT.matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("unexpected eth_chainId answer from " + httpUrl() + ": " + body);
        }
        return Long.parseLong(m.group(1), 16);
    }

    /** Options of an {@link Anvil}; {@code --host 127.0.0.1 --port <free> --quiet} are always given. */
    public static final class Builder {
        private long chainId = DEFAULT_CHAIN_ID;
        private long blockTimeSeconds;
        private boolean noMining;
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {
        }

        public Builder chainId(long chainId) {
            if (chainId <= 0) {
                throw new IllegalArgumentException("chain id must be positive, got " + chainId);
            }
            this.chainId = chainId;
            return this;
        }

        /** Interval mining every {@code seconds}; 0 (the default) mines a block per transaction. */
        public Builder blockTime(long seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("block time must be >= 0 seconds, got " + seconds);
            }
            this.blockTimeSeconds = seconds;
            return this;
        }

        /** Mines only on request ({@code anvil_mine}, {@code evm_mine}). */
        public Builder noMining() {
            this.noMining = true;
            return this;
        }

        /** Further command-line arguments, passed as they are. */
        public Builder extraArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /** An anvil with these options, not started. */
        public Anvil build() {
            if (noMining && blockTimeSeconds > 0) {
                throw new IllegalArgumentException("--no-mining conflicts with a block time of " + blockTimeSeconds + " s");
            }
            return new Anvil(this);
        }

        /** {@code build().start()}. */
        public Anvil start() {
            return build().start();
        }
    }
}
