package io.pessimism.testkit.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;

/** What the testkit's contracts share: their committed compiler outputs, and call-data encoding. */
final class ContractFiles {

    private ContractFiles() {
    }

    /** The committed creation bytecode of {@code contracts/<name>.bin}, 0x-prefixed. */
    static String creationBytecode(String name) {
        return "0x" + resource("/contracts/" + name + ".bin").trim();
    }

    /** The committed ABI of {@code contracts/<name>.abi}, as JSON. */
    static String abiJson(String name) {
        return resource("/contracts/" + name + ".abi");
    }

    /** The call data of function {@code name} with these arguments and no declared outputs. */
    static String encode(String name, Type<?>... args) {
        return FunctionEncoder.encode(new Function(name, List.of(args), List.of()));
    }

    private static String resource(String path) {
        try (InputStream in = ContractFiles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path
                        + " (regenerate with testkit/src/main/resources/contracts/compile.sh)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + path, e);
        }
    }
}
