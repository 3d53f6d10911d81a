package io.pessimism.oracle;

import io.pessimism.network.Network;
import io.pessimism.oracle.balance.AccountBalanceDefinition;
import io.pessimism.oracle.geth.GethBlockDefinition;
import io.pessimism.registry.Register;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The oracles this build can run, keyed by register name (the oracles' counterpart of the pipes'
 * {@code ComponentCatalog}): {@code pessimism oracles}, {@code dev} and {@code OracleMain} run every
 * oracle of it on every enabled network. Immutable; {@link #with} adds a definition, e.g. an oracle
 * defined outside this module (tests, plug-ins).
 */
public final class OracleCatalog {

    private final Map<String, OracleDefinition> byRegister;

    private OracleCatalog(Map<String, OracleDefinition> byRegister) {
        this.byRegister = byRegister;
    }

    /** The oracles implemented here. A new oracle is one more definition in this list. */
    public static OracleCatalog standard() {
        return of(List.of(
                new GethBlockDefinition(),
                new AccountBalanceDefinition()));
    }

    /** A catalogue of these definitions; two for one register (or one register id) is an error. */
    public static OracleCatalog of(List<? extends OracleDefinition> definitions) {
        OracleCatalog catalog = new OracleCatalog(Map.of());
        for (OracleDefinition definition : definitions) {
            catalog = catalog.with(definition);
        }
        return catalog;
    }

    /**
     * This catalogue plus {@code definition}; fails when its register is not an oracle's or already has a
     * definition, or when another register has its id (ids place oracles on lease partitions).
     */
    public OracleCatalog with(OracleDefinition definition) {
        Register register = OracleId.requireOracle(definition.register());
        OracleDefinition previous = byRegister.get(register.name());
        if (previous != null) {
            throw new IllegalArgumentException("register " + register.name() + " already has an oracle: "
                    + previous.getClass().getName() + "; cannot add " + definition.getClass().getName());
        }
        for (OracleDefinition other : byRegister.values()) {
            if (other.register().id() == register.id()) {
                throw new IllegalArgumentException("register " + register.name() + " has id " + register.id()
                        + ", already the id of oracle register " + other.register().name());
            }
        }
        Map<String, OracleDefinition> next = new LinkedHashMap<>(byRegister);
        next.put(register.name(), definition);
        return new OracleCatalog(Map.copyOf(next));
    }

    /** The definition of {@code register}; fails listing the registers that have one. */
    public OracleDefinition get(String register) {
        return find(register).orElseThrow(() -> new IllegalArgumentException("register " + register
                + " has no oracle in this catalogue; oracles: " + names()));
    }

    public Optional<OracleDefinition> find(String register) {
        return Optional.ofNullable(byRegister.get(register));
    }

    /** The definition of the oracle {@code id}. */
    public OracleDefinition get(OracleId id) {
        return get(id.register().name());
    }

    /** The registers with an oracle, in id order. */
    public List<Register> registers() {
        return byRegister.values().stream().map(OracleDefinition::register)
                .sorted(Comparator.comparingInt(Register::id)).toList();
    }

    /** The oracles to run on these networks: every register of the catalogue on each, in {@link OracleId} order. */
    public List<OracleId> ids(List<Network> networks) {
        List<OracleId> ids = new ArrayList<>();
        for (Network network : networks) {
            registers().forEach(register -> ids.add(new OracleId(network, register)));
        }
        return ids.stream().sorted().toList();
    }

    private List<String> names() {
        return registers().stream().map(Register::name).toList();
    }
}
