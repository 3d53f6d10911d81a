package io.pessimism.id;

import io.pessimism.component.ComponentGraph;
import io.pessimism.component.ComponentNode;
import io.pessimism.component.ComponentType;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import java.util.Arrays;
import java.util.Objects;

/**
 * The seed's deterministic pipeline id: nine bytes {@code {pipeline type, PID of the most
 * downstream component, PID of the source oracle}}, written
 * {@code live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block}. For an aggregator the
 * source is its trigger's oracle ({@link ComponentGraph#triggerSource()}). Two requests with the
 * same PipelinePID collide (and, when both are live and not backfilling, share one pipeline).
 */
public record PipelinePID(PipelineType pipelineType, ComponentPID downstream, ComponentPID source) {

    /** Length of {@link #bytes()}. */
    public static final int LENGTH = 1 + 2 * ComponentPID.LENGTH;
    static final String SEPARATOR = "::";

    public PipelinePID {
        Objects.requireNonNull(pipelineType, "pipelineType");
        Objects.requireNonNull(downstream, "downstream");
        Objects.requireNonNull(source, "source");
        if (downstream.pipelineType() != pipelineType || source.pipelineType() != pipelineType) {
            throw new IllegalArgumentException("pipeline PID " + pipelineType.label()
                    + ": component PIDs " + downstream + " and " + source
                    + " must have the same pipeline type");
        }
        if (source.componentType() != ComponentType.ORACLE) {
            throw new IllegalArgumentException(
                    "pipeline PID: source " + source + " is not an oracle");
        }
    }

    /** The PID of a pipeline of {@code type} running {@code graph}. */
    public static PipelinePID of(PipelineType type, ComponentGraph graph) {
        return new PipelinePID(type, pid(type, graph.downstream()),
                pid(type, graph.triggerSource()));
    }

    private static ComponentPID pid(PipelineType type, ComponentNode node) {
        return new ComponentPID(node.network(), type, node.register());
    }

    /** The pipeline's network: its most downstream component's. */
    public Network network() {
        return downstream.network();
    }

    /** The register the pipeline delivers: its most downstream component's. */
    public Register register() {
        return downstream.register();
    }

    /** Whether the pipeline reads only one component (downstream = source, e.g. an oracle). */
    public boolean singleComponent() {
        return downstream.equals(source);
    }

    /** {@code {type, downstream PID, source PID}}; a fresh copy. */
    public byte[] bytes() {
        byte[] bytes = new byte[LENGTH];
        bytes[0] = pipelineType.id();
        System.arraycopy(downstream.bytes(), 0, bytes, 1, ComponentPID.LENGTH);
        System.arraycopy(source.bytes(), 0, bytes, 1 + ComponentPID.LENGTH, ComponentPID.LENGTH);
        return bytes;
    }

    /** Reads the nine bytes of {@link #bytes()}, registers resolved through {@code registry}. */
    public static PipelinePID fromBytes(byte[] bytes, Registry registry) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("pipeline PID needs " + LENGTH + " bytes, got "
                    + (bytes == null ? "null" : Arrays.toString(bytes)));
        }
        return new PipelinePID(PipelineType.fromId(bytes[0]),
                ComponentPID.fromBytes(Arrays.copyOfRange(bytes, 1, 1 + ComponentPID.LENGTH),
                        registry),
                ComponentPID.fromBytes(Arrays.copyOfRange(bytes, 1 + ComponentPID.LENGTH, LENGTH),
                        registry));
    }

    /** Parses {@code type::downstreamPID::sourcePID}. */
    public static PipelinePID parse(String text, Registry registry) {
        String[] parts = Objects.requireNonNull(text, "pipeline PID").split(SEPARATOR, -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("pipeline PID \"" + text
                    + "\" is not type::downstreamComponentPID::sourceComponentPID");
        }
        try {
            return new PipelinePID(PipelineType.parse(parts[0]),
                    ComponentPID.parse(parts[1], registry), ComponentPID.parse(parts[2], registry));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "pipeline PID \"" + text + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PipelinePID pid && Arrays.equals(bytes(), pid.bytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes());
    }

    /** {@code live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block}. */
    @Override
    public String toString() {
        return pipelineType.label() + SEPARATOR + downstream + SEPARATOR + source;
    }
}
