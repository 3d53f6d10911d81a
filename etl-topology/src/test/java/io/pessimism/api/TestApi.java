package io.pessimism.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pessimism.avro.CommandType;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineType;
import io.pessimism.config.ApiConfig;
import io.pessimism.control.NextBlocks;
import io.pessimism.control.PipelineCatalogue;
import io.pessimism.network.Network;
import io.pessimism.pipeline.Branches;
import io.pessimism.registry.Registry;
import io.pessimism.topic.TopicNames;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The REST API without a broker: the production {@link ApiServer} and {@link PipelineOperations}
 * over a {@link RecordingGateway}, the standard registry, both networks, and block topics that
 * hold blocks 10..41 on every network.
 */
final class TestApi {

    /** The PUUID {@link #accept} answers every command with: a live event_log pipeline on layer1. */
    static final String PUUID = "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block"
            + ":::0f8fad5b-d9cb-469f-a165-70867728950e";

    private TestApi() {
    }

    /** Started on a free loopback port, without a rate limit. */
    static ApiServer start(RecordingGateway gateway, Optional<String> token, Branches branches, Readiness ready,
            int maxRequestBytes) {
        return start(gateway, new ApiConfig("127.0.0.1", 0, token, maxRequestBytes), branches, ready);
    }

    /** Started with this configuration (its port 0: a free one). */
    static ApiServer start(RecordingGateway gateway, ApiConfig config, Branches branches, Readiness ready) {
        PipelineOperations operations = new PipelineOperations(
                new RequestValidator(Registry.standard(), Set.of(Network.LAYER1, Network.LAYER2)), gateway,
                new NextBlocks() {
                    @Override
                    public long nextBlock(Network network) {
                        return 42;
                    }

                    @Override
                    public OptionalLong firstHeld(Network network) {
                        return OptionalLong.of(10);
                    }
                },
                new PipelineCatalogue(), branches, new TopicNames("pessimism"),
                Registry.standard(), Clock.systemUTC());
        return new ApiServer(config, operations, ready,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).start();
    }

    /** A control plane accepting everything: a new pipeline ({@link #PUUID}) per create. */
    static PipelineCommandReply accept(PipelineCommand command) {
        PipelineSpec spec = PipelineSpec.newBuilder().setPuuid(PUUID).setPid(PUUID.substring(0, PUUID.indexOf(":::")))
                .setPrefix("pessimism.live.layer1-event_log.layer1-geth_block").setNetwork("layer1")
                .setType(PipelineType.LIVE).setRegister("event_log").setStartHeight(42L).setOwners(List.of("risk-1"))
                .setDesiredState(DesiredState.RUNNING).setCreatedAt(1L).setRevision(1).build();
        return PipelineCommandReply.newBuilder().setRequestId(command.getRequestId()).setOk(true).setPuuid(PUUID)
                .setPid(spec.getPid()).setTopic(spec.getPrefix() + ".out").setState(PipelineState.STARTING)
                .setSpec(spec).setEffectiveFrom(command.getType() == CommandType.ADD_INTEREST ? 42L : null).build();
    }
}
