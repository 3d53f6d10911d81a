package io.pessimism.oracle;

import io.pessimism.registry.Register;
import java.util.Optional;

/**
 * The seed's OracleDefinition: one kind of oracle. It names the register it produces and builds,
 * for one network, its {@link ReadRoutine} (following the source in real time) and, optionally, its
 * {@link BackTestRoutine} (a bounded range into a given topic). Routines are usually built on the
 * shared {@link OracleRunner}, so sessions, fencing, resume and backoff are the same for every oracle.
 * Registered in {@link OracleCatalog#standard()}; leases, status and metrics follow from there.
 */
public interface OracleDefinition {

    /** The oracle register this definition produces (a component type of oracle). */
    Register register();

    /** The live routine of {@code context.network()}, not started. */
    ReadRoutine readRoutine(OracleContext context);

    /** The bounded routine of {@code context.network()}, when this oracle can read a range; empty otherwise. */
    default Optional<BackTestRoutine> backTestRoutine(OracleContext context) {
        return Optional.empty();
    }
}
