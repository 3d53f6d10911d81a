package io.pessimism.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much the GethBlock oracle of a network finds out about the contracts its blocks create
 * ({@code networks.<network>.contract-creations}). Pipes do no I/O, so what a register such as
 * {@code contract_create_tx} can emit is what the oracle fetched into the block.
 */
public enum ContractCreations {
    /** Nothing beyond the block and its logs: a block's {@code createdContracts} is null. */
    OFF("off"),
    /**
     * The receipt of every contract-creating transaction ({@code to} null), fetched in the same
     * batch as the logs: its {@code contractAddress}, and the successful ones as the block's
     * {@code createdContracts}. A block without such a transaction costs no extra request.
     */
    RECEIPTS("receipts"),
    /**
     * As {@link #RECEIPTS}, plus a {@code debug_traceBlockByHash} call trace of every block with
     * transactions, so contracts created inside calls (a factory's CREATE and CREATE2) are listed
     * too. Needs a node with the debug namespace; costs the node a re-execution of each block.
     */
    TRACES("traces");

    private final String label;

    ContractCreations(String label) {
        this.label = label;
    }

    /** The setting's text: {@code off}, {@code receipts}, {@code traces}. */
    public String label() {
        return label;
    }

    /** Parses a label, ignoring case; the error lists the valid ones. */
    public static ContractCreations parse(String text) {
        for (ContractCreations value : values()) {
            if (value.label.equals(text.toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new IllegalArgumentException("is not one of " + labels());
    }

    /** The valid labels, comma-separated. */
    public static String labels() {
        return Arrays.stream(values()).map(ContractCreations::label).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return label;
    }
}
