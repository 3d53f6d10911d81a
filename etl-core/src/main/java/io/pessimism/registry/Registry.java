package io.pessimism.registry;

import io.pessimism.component.ComponentGraph;
import io.pessimism.network.Network;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The seed's registry: the catalogue of register definitions, and the recursive dependency
 * resolution that turns a register into a pipeline's component DAG. A register is admitted only
 * when its name and id are new, its dependencies are known (or admitted with it) and no cycle
 * forms, so every registry state resolves. Thread-safe: reads see an immutable snapshot.
 */
public final class Registry {

    private volatile Map<String, Register> byName = Map.of();

    /** An empty registry. */
    public Registry() {
    }

    /** A registry holding every register of this build ({@link Registers#standard()}). */
    public static Registry standard() {
        return of(Registers.standard());
    }

    /** A registry holding these registers, checked together. */
    public static Registry of(Collection<Register> registers) {
        Registry registry = new Registry();
        registry.registerAll(registers);
        return registry;
    }

    /** A registry holding these registers, checked together. */
    public static Registry of(Register... registers) {
        return of(List.of(registers));
    }

    /** Adds one register; see {@link #registerAll}. */
    public void register(Register register) {
        registerAll(List.of(register));
    }

    /**
     * Adds registers that may depend on each other. All or none are added.
     *
     * @throws IllegalArgumentException on a duplicate name or id, an unknown dependency, a
     *     non-addressable register reading an addressable one, or a dependency cycle (the message
     *     names the registers involved and the cycle path)
     */
    public synchronized void registerAll(Collection<Register> registers) {
        Map<String, Register> next = new LinkedHashMap<>(byName);
        Map<Byte, String> ids = new HashMap<>();
        next.values().forEach(r -> ids.put(r.id(), r.name()));
        for (Register register : registers) {
            if (next.containsKey(register.name())) {
                throw new IllegalArgumentException("register " + register + ": name "
                        + register.name() + " is already taken by " + next.get(register.name()));
            }
            String holder = ids.putIfAbsent(register.id(), register.name());
            if (holder != null) {
                throw new IllegalArgumentException("register " + register + ": id "
                        + register.id() + " is already taken by " + next.get(holder));
            }
            next.put(register.name(), register);
        }
        for (Register register : registers) {
            checkDependencies(register, next);
        }
        checkAcyclic(registers, next);
        byName = Map.copyOf(next);
    }

    /** The register with this name. */
    public Register get(String name) {
        Register register = byName.get(name);
        if (register == null) {
            throw new UnknownRegisterException(name, names());
        }
        return register;
    }

    /** The register with this name, if held. */
    public Optional<Register> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The register with this PID byte, if held. */
    public Optional<Register> find(byte id) {
        return byName.values().stream().filter(r -> r.id() == id).findFirst();
    }

    /** The register with this PID byte. */
    public Register get(byte id) {
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown register id "
                + id + "; known registers: " + all().stream().map(Register::toString)
                        .collect(Collectors.joining(", "))));
    }

    /** Every register, in id order. */
    public List<Register> all() {
        return byName.values().stream().sorted(Comparator.comparingInt(Register::id)).toList();
    }

    /** Every register name, in id order. */
    public List<String> names() {
        return all().stream().map(Register::name).toList();
    }

    /**
     * The component DAG of a pipeline computing {@code register} on {@code network}.
     *
     * @throws UnknownRegisterException when no register has that name
     */
    public ComponentGraph resolve(String register, Network network) {
        return ComponentGraph.resolve(get(register), network, this::get);
    }

    private static void checkDependencies(Register register, Map<String, Register> known) {
        for (Dependency dependency : register.dependencies()) {
            Register input = known.get(dependency.register());
            if (input == null) {
                throw new IllegalArgumentException("register " + register + ": dependency "
                        + dependency + " is not a known register; known registers: "
                        + String.join(", ", known.keySet()));
            }
            // The seed: a component reading addressable data needs the addresses too.
            if (input.addressable() && !register.addressable()) {
                throw new IllegalArgumentException("register " + register + " reads addressable "
                        + input + " and must be addressable too");
            }
        }
    }

    private static void checkAcyclic(Collection<Register> added, Map<String, Register> all) {
        Map<String, Boolean> done = new HashMap<>();
        for (Register register : added) {
            visit(register.name(), all, done, new ArrayList<>());
        }
    }

    // Cycles are checked on register names: a cycle there is a cycle on some network.
    private static void visit(String name, Map<String, Register> all, Map<String, Boolean> done,
            List<String> path) {
        if (done.containsKey(name)) {
            return;
        }
        int start = path.indexOf(name);
        if (start >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(start, path.size()));
            cycle.add(name);
            throw new IllegalArgumentException("dependency cycle between registers "
                    + String.join(", ", path.subList(start, path.size())) + ": "
                    + String.join(" -> ", cycle) + " (each reads the next)");
        }
        path.add(name);
        for (Dependency dependency : all.get(name).dependencies()) {
            visit(dependency.register(), all, done, path);
        }
        path.remove(path.size() - 1);
        done.put(name, true);
    }
}
