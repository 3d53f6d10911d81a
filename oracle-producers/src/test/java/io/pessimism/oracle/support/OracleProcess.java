package io.pessimism.oracle.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An oracle running in its own JVM (the test classpath), so a test can SIGKILL it mid-transaction. */
public final class OracleProcess implements AutoCloseable {

    private final Process process;

    private OracleProcess(Process process) {
        this.process = process;
    }

    public static OracleProcess start(String mainClass, Path log, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.pessimism.avro",
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        try {
            File file = log.toFile();
            return new OracleProcess(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(file)).start());
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + mainClass, e);
        }
    }

    /** SIGKILL: no shutdown hook, no abort, the open transaction is left to the next instance. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        kill();
    }
}
