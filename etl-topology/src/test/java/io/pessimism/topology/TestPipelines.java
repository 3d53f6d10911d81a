package io.pessimism.topology;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineType;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicNames;
import java.util.List;

/** Pipeline specs and interests as the control plane writes them, for tests of the runtime. */
public final class TestPipelines {

    private TestPipelines() {
    }

    /** A live spec of {@code register} on {@code network}, running, with a fresh PUUID. */
    public static PipelineSpec live(Registry registry, TopicNames names, String register, Network network,
            Long startHeight) {
        PipelinePID pid = PipelinePID.of(io.pessimism.pipeline.PipelineType.LIVE, registry.resolve(register, network));
        PUUID puuid = PUUID.random(pid);
        return PipelineSpec.newBuilder()
                .setPuuid(puuid.toString()).setPid(pid.toString()).setPrefix(names.pipelinePrefix(pid))
                .setNetwork(network.label()).setType(PipelineType.LIVE).setRegister(register)
                .setStartHeight(startHeight).setEndHeight(null).setOwners(List.of("alice"))
                .setDesiredState(DesiredState.RUNNING).setCreatedAt(1L).setMergedInto(null)
                .build();
    }

    /** A backtest spec of {@code register} on {@code network} over {@code [startHeight, endHeight]}, running. */
    public static PipelineSpec backtest(Registry registry, TopicNames names, String register, Network network,
            long startHeight, long endHeight) {
        PipelinePID pid = PipelinePID.of(io.pessimism.pipeline.PipelineType.BACKTEST,
                registry.resolve(register, network));
        PUUID puuid = PUUID.random(pid);
        return PipelineSpec.newBuilder()
                .setPuuid(puuid.toString()).setPid(pid.toString()).setPrefix(names.pipelinePrefix(puuid, false))
                .setNetwork(network.label()).setType(PipelineType.BACKTEST).setRegister(register)
                .setStartHeight(startHeight).setEndHeight(endHeight).setOwners(List.of("alice"))
                .setDesiredState(DesiredState.RUNNING).setCreatedAt(1L).setMergedInto(null)
                .build();
    }

    /** The same spec with another desired state. */
    public static PipelineSpec withState(PipelineSpec spec, DesiredState state) {
        return PipelineSpec.newBuilder(spec).setDesiredState(state).build();
    }

    /** The key of an interest on {@code <ns>.state}. */
    public static String key(AddressInterest interest) {
        return InterestKey.of(interest).render();
    }

    public static AddressInterest interest(PipelineSpec spec, String owner, String address, long effectiveFrom,
            String... signatures) {
        return new AddressInterest(spec.getPuuid(), address, owner, List.of(signatures), effectiveFrom);
    }
}
