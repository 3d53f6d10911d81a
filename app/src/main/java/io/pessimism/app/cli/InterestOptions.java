package io.pessimism.app.cli;

import io.pessimism.api.CreatePipelineRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The initial interests of a pipeline of an addressable register, as {@code pipelines create} and
 * {@code backtest} take them: {@code --watch ADDRESS=SIG;SIG…}, or an address alone.
 */
final class InterestOptions {

    @Option(names = "--watch", paramLabel = "ADDRESS=SIG[;SIG…]", mapFallbackValue = "",
            description = "Initial interest: an address and the event signatures to match (repeatable), "
                    + "e.g. --watch 0xabc…='Ping(address,uint256);Pong(address,uint256)'; an address alone for "
                    + "account_balance: --watch 0xabc…")
    Map<String, String> watch = new LinkedHashMap<>();

    /** The interests of the request, in the order given; the API validates addresses and signatures. */
    List<CreatePipelineRequest.Interest> interests() {
        List<CreatePipelineRequest.Interest> interests = new ArrayList<>();
        watch.forEach((address, signatures) -> interests.add(new CreatePipelineRequest.Interest(address,
                signatures.isBlank() ? List.of() : List.of(signatures.split(";")))));
        return interests;
    }
}
