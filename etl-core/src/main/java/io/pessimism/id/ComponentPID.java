package io.pessimism.id;

import io.pessimism.component.ComponentType;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import java.util.Arrays;
import java.util.Objects;

/**
 * The seed's deterministic component id: four bytes {@code {network, pipeline type, component
 * type, register}}, written {@code layer1:live:pipe:event_log}. It holds the {@link Register}
 * itself, so it renders without a lookup; parsing needs the {@link Registry} to map a name or id
 * back to its register. Equal when the bytes are equal.
 */
public record ComponentPID(Network network, PipelineType pipelineType, Register register) {

    /** Length of {@link #bytes()}. */
    public static final int LENGTH = 4;
    static final String SEPARATOR = ":";

    public ComponentPID {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(pipelineType, "pipelineType");
        Objects.requireNonNull(register, "register");
    }

    /** The register's component type (the PID's third byte). */
    public ComponentType componentType() {
        return register.componentType();
    }

    /** {@code {network, pipelineType, componentType, register}} ids; a fresh copy. */
    public byte[] bytes() {
        return new byte[] {network.id(), pipelineType.id(), componentType().id(), register.id()};
    }

    /** Reads the four bytes of {@link #bytes()}, the register resolved through {@code registry}. */
    public static ComponentPID fromBytes(byte[] bytes, Registry registry) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("component PID needs " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : Arrays.toString(bytes)));
        }
        Register register = registry.get(bytes[3]);
        ComponentType type = ComponentType.fromId(bytes[2]);
        requireType(register, type, Arrays.toString(bytes));
        return new ComponentPID(Network.fromId(bytes[0]), PipelineType.fromId(bytes[1]), register);
    }

    /** Parses {@code network:pipelineType:componentType:register}. */
    public static ComponentPID parse(String text, Registry registry) {
        String[] parts = Objects.requireNonNull(text, "component PID").split(SEPARATOR, -1);
        if (parts.length != LENGTH) {
            throw new IllegalArgumentException("component PID \"" + text
                    + "\" is not network:pipelineType:componentType:register");
        }
        try {
            Register register = registry.get(parts[3]);
            requireType(register, ComponentType.parse(parts[2]), text);
            return new ComponentPID(Network.parse(parts[0]), PipelineType.parse(parts[1]),
                    register);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "component PID \"" + text + "\": " + e.getMessage(), e);
        }
    }

    private static void requireType(Register register, ComponentType type, String where) {
        if (register.componentType() != type) {
            throw new IllegalArgumentException("component PID " + where + ": register "
                    + register.name() + " has component type " + register.componentType().label()
                    + ", not " + type.label());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ComponentPID pid && Arrays.equals(bytes(), pid.bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    /** {@code layer1:live:pipe:event_log}. */
    @Override
    public String toString() {
        return String.join(SEPARATOR, network.label(), pipelineType.label(),
                componentType().label(), register.name());
    }
}
