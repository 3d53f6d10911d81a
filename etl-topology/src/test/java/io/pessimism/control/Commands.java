package io.pessimism.control;

import io.pessimism.avro.CommandType;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineRequest;
import io.pessimism.avro.PipelineType;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds control-plane commands for tests, as the API would after validation. */
final class Commands {

    static final String ADDRESS_A = "0x00000000000000000000000000000000000000aa";
    static final String ADDRESS_B = "0x00000000000000000000000000000000000000bb";
    static final String PING = "Ping(address,uint256)";

    private Commands() {
    }

    static PipelineRequest.Builder live(String network, String register, String owner) {
        return PipelineRequest.newBuilder().setNetwork(network).setType(PipelineType.LIVE).setRegister(register)
                .setOwner(owner);
    }

    static PipelineRequest.Builder backtest(String network, String register, String owner, long start, long end) {
        return PipelineRequest.newBuilder().setNetwork(network).setType(PipelineType.BACKTEST).setRegister(register)
                .setOwner(owner).setStartHeight(start).setEndHeight(end);
    }

    static PipelineRequest.Builder watching(PipelineRequest.Builder request, String address, String... signatures) {
        return request.setInterests(Map.of(address, List.of(signatures)));
    }

    static PipelineCommand create(PipelineRequest.Builder request, long nextBlock) {
        return base(CommandType.CREATE, null, nextBlock).setCreate(request.build()).build();
    }

    static PipelineCommand on(CommandType type, String puuid) {
        return base(type, puuid, 0L).build();
    }

    static PipelineCommand remove(String puuid, String owner) {
        return base(CommandType.REMOVE, puuid, 0L).setOwner(owner).build();
    }

    static PipelineCommand addInterest(String puuid, String owner, String address, long nextBlock, String... signatures) {
        return base(CommandType.ADD_INTEREST, puuid, nextBlock).setOwner(owner).setAddress(address)
                .setSignatures(List.of(signatures)).build();
    }

    static PipelineCommand removeInterest(String puuid, String owner, String address) {
        return base(CommandType.REMOVE_INTEREST, puuid, 0L).setOwner(owner).setAddress(address).build();
    }

    static PipelineCommand.Builder base(CommandType type, String puuid, long nextBlock) {
        return PipelineCommand.newBuilder().setRequestId(UUID.randomUUID().toString()).setType(type).setPuuid(puuid)
                .setNextBlock(nextBlock).setIssuedAt(1_700_000_000_000L);
    }
}
