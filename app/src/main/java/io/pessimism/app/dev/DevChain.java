package io.pessimism.app.dev;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dev chain for {@code pessimism dev}: anvil, from the repo's pinned npm package, on a loopback port
 * with its own chain id and block time. Its output goes to a log file beside the dev broker's data.
 * With a state file the chain (its blocks and their hashes) survives a restart, as the dev broker's
 * topics do: a fresh chain under kept topics would look to the oracles like a reorg of everything.
 */
public final class DevChain implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DevChain.class);
    private static final String ANVIL = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** How often anvil writes its state file besides at exit, bounding what a SIGKILL loses. */
    private static final int STATE_INTERVAL_SECONDS = 5;

    private final String name;
    private final int port;
    private final long chainId;
    private final Duration blockTime;
    private final Path logFile;
    private final Optional<Path> stateFile;
    private final List<String> extraArgs;
    private Process process;

    /** @param stateFile where the chain is kept across restarts; empty for a throw-away chain */
    public DevChain(String name, int port, long chainId, Duration blockTime, Path logFile, Optional<Path> stateFile) {
        this(name, port, chainId, blockTime, logFile, stateFile, List.of());
    }

    /** @param extraArgs more anvil options, last on its command line (a benchmark's, e.g.) */
    public DevChain(String name, int port, long chainId, Duration blockTime, Path logFile, Optional<Path> stateFile,
            List<String> extraArgs) {
        this.name = name;
        this.port = port;
        this.chainId = chainId;
        this.blockTime = blockTime;
        this.logFile = logFile;
        this.stateFile = stateFile;
        this.extraArgs = List.copyOf(extraArgs);
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl() {
        return "ws://127.0.0.1:" + port;
    }

    public long chainId() {
        return chainId;
    }

    /** The running anvil (for a benchmark's CPU accounting); empty before start. */
    public Optional<ProcessHandle> process() {
        return Optional.ofNullable(process).map(Process::toHandle);
    }

    /** Finds anvil: {@code PESSIMISM_ANVIL}, else the repo's node_modules (bin/pessimism installs it). */
    static Path anvilBinary() {
        String override = System.getenv("PESSIMISM_ANVIL");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String root = System.getProperty("pessimism.repo.root", ".");
        Path candidate = Path.of(root).resolve(ANVIL);
        if (!Files.isExecutable(candidate)) {
            throw new IllegalStateException("anvil not found at " + candidate
                    + ": run `npm ci` in the repository (or set PESSIMISM_ANVIL to an anvil binary)");
        }
        return candidate;
    }

    public void start() {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // its own session: a Ctrl-C in the terminal reaches the JVM only, which stops the oracles
            // before their node (the shutdown hook closes this chain last but one)
            cmd.add(SETSID.toString());
        }
        cmd.addAll(List.of(anvilBinary().toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(chainId), "--quiet"));
        if (!blockTime.isZero()) {
            cmd.add("--block-time");
            cmd.add(Long.toString(Math.max(1, blockTime.toSeconds())));
        }
        stateFile.ifPresent(file -> cmd.addAll(List.of("--state", file.toString(),
                "--state-interval", Integer.toString(STATE_INTERVAL_SECONDS))));
        cmd.addAll(extraArgs);
        try {
            Files.createDirectories(logFile.getParent());
            if (stateFile.isPresent()) {
                Files.createDirectories(stateFile.get().toAbsolutePath().getParent());
            }
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start anvil for " + name + ": " + e.getMessage(), e);
        }
        awaitRpc(Duration.ofSeconds(20));
        log.info("dev chain {} (anvil, chain id {}) listening on {}{}", name, chainId, rpcUrl(),
                stateFile.map(file -> " (kept in " + file + ")").orElse(""));
    }

    private void awaitRpc(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("anvil for " + name + " exited with code " + process.exitValue()
                        + " (port " + port + " in use?); see " + logFile);
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for anvil", e);
            }
            try {
                Thread.sleep(50); // polling interval while the node boots, bounded by the deadline above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for anvil", e);
            }
        }
        throw new IllegalStateException("anvil for " + name + " did not answer on " + rpcUrl() + " within "
                + timeout + "; see " + logFile, last);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
