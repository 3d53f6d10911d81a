package io.pessimism.registry;

import java.util.List;

/** A register name the registry does not hold; the message lists the registers it does hold. */
public final class UnknownRegisterException extends IllegalArgumentException {

    private final String register;
    private final List<String> known;

    public UnknownRegisterException(String register, List<String> known) {
        super("unknown register \"" + register + "\"; known registers: "
                + String.join(", ", known));
        this.register = register;
        this.known = List.copyOf(known);
    }

    /** The name that was asked for. */
    public String register() {
        return register;
    }

    /** The names the registry holds, in id order. */
    public List<String> known() {
        return known;
    }
}
