package io.pessimism.app.cli;

import io.pessimism.client.PessimismClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "addresses", mixinStandardHelpOptions = true,
        description = "Register or withdraw an owner's interest in an address for a pipeline.",
        subcommands = {AddressesCommand.Add.class, AddressesCommand.Remove.class})
public final class AddressesCommand {

    abstract static class Interest extends ApiCommand {
        @Parameters(index = "0", paramLabel = "PUUID", description = "The pipeline's PUUID")
        String puuid;

        @Parameters(index = "1", paramLabel = "ADDRESS", description = "0x-prefixed 20-byte address (any case)")
        String address;

        @Option(names = "--owner", required = true, description = "Who asks: a heuristic session id")
        String owner;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Watch an address (for event_log, for the given event signatures), effective from the block "
                    + "assigned when accepted.")
    static final class Add extends Interest {
        @Option(names = "--signature", paramLabel = "SIG",
                description = "Canonical event signature to match, e.g. Ping(address,uint256) (repeatable); for a "
                        + "register matching events (event_log). None for account_balance, which watches the address "
                        + "itself.")
        List<String> signatures = new ArrayList<>();

        @Override
        Object call(PessimismClient client) {
            return client.addAddress(puuid, address, owner, signatures);
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Stop watching an address for an owner.")
    static final class Remove extends Interest {
        @Override
        Object call(PessimismClient client) {
            return client.removeAddress(puuid, address, owner);
        }
    }
}
