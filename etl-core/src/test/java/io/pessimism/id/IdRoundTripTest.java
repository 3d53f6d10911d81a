package io.pessimism.id;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import io.pessimism.registry.TestRegisters;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every id renders to a string and bytes that parse back to an equal id. */
class IdRoundTripTest {

    private static final Registry REGISTRY = TestRegisters.registry();

    @Property(tries = 200)
    void pipelinePidsRoundTrip(@ForAll("pipelinePids") PipelinePID pid) {
        assertThat(PipelinePID.parse(pid.toString(), REGISTRY)).isEqualTo(pid);
        assertThat(PipelinePID.fromBytes(pid.bytes(), REGISTRY)).isEqualTo(pid);
        assertThat(pid.bytes()).hasSize(PipelinePID.LENGTH);
    }

    @Property(tries = 200)
    void puuidsRoundTrip(@ForAll("pipelinePids") PipelinePID pid, @ForAll("uuids") UUID uuid) {
        PUUID puuid = new PUUID(pid, uuid);
        assertThat(PUUID.parse(puuid.toString(), REGISTRY)).isEqualTo(puuid);
        assertThat(puuid.toString()).endsWith(":::" + uuid);
    }

    @Property(tries = 200)
    void cuuidsRoundTrip(@ForAll("pipelinePids") PipelinePID pid, @ForAll("uuids") UUID uuid) {
        CUUID cuuid = new CUUID(pid.downstream(), uuid);
        assertThat(CUUID.parse(cuuid.toString(), REGISTRY)).isEqualTo(cuuid);
        assertThat(ComponentPID.fromBytes(cuuid.pid().bytes(), REGISTRY)).isEqualTo(cuuid.pid());
    }

    @Provide
    Arbitrary<PipelinePID> pipelinePids() {
        Arbitrary<Register> registers = Arbitraries.of(REGISTRY.all());
        Arbitrary<Network> networks = Arbitraries.of(Network.class);
        Arbitrary<PipelineType> types = Arbitraries.of(PipelineType.class);
        return Combinators.combine(registers, networks, types)
                .as((register, network, type) ->
                        PipelinePID.of(type, REGISTRY.resolve(register.name(), network)));
    }

    @Provide
    Arbitrary<UUID> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
    }
}
