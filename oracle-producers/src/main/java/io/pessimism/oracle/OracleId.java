package io.pessimism.oracle;

import io.pessimism.component.ComponentType;
import io.pessimism.network.Network;
import io.pessimism.registry.Register;
import java.util.Comparator;
import java.util.Objects;

/**
 * One oracle to run: a register's oracle on one network. Exactly one instance of each runs at a
 * time (DESIGN.md §4); it is the unit of leases, of status ({@code <ns>.oracle-status} key
 * {@link #label()}) and of metrics.
 */
public record OracleId(Network network, Register register) implements Comparable<OracleId> {

    private static final Comparator<OracleId> ORDER = Comparator.comparing((OracleId id) -> id.network().id())
            .thenComparing(id -> id.register().id());

    public OracleId {
        Objects.requireNonNull(network, "network");
        requireOracle(register);
    }

    /** {@code register}, when it is an oracle's; fails naming it otherwise. */
    static Register requireOracle(Register register) {
        Objects.requireNonNull(register, "register");
        if (register.componentType() != ComponentType.ORACLE) {
            throw new IllegalArgumentException("register " + register.name() + " is a "
                    + register.componentType().label() + ", not an oracle");
        }
        return register;
    }

    /** {@code <network>.<register>}, e.g. {@code layer1.geth_block}. */
    public String label() {
        return network.label() + "." + register.name();
    }

    /** By network, then register id. */
    @Override
    public int compareTo(OracleId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return label();
    }
}
