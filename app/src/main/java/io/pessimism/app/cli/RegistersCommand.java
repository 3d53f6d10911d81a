package io.pessimism.app.cli;

import io.pessimism.client.PessimismClient;
import picocli.CommandLine.Command;

@Command(name = "registers", mixinStandardHelpOptions = true,
        description = "List the registers (GET /v1/registers): name, id, component type, whether it takes "
                + "addresses and whether an address's interest names event signatures, whether a pipeline of it "
                + "can be created here (pipeline), and its dependencies.")
public final class RegistersCommand extends ApiCommand {

    @Override
    Object call(PessimismClient client) {
        return client.registers();
    }
}
