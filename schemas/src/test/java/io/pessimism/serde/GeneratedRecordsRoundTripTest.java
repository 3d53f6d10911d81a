package io.pessimism.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AccountBalanceOutput;
import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.Block;
import io.pessimism.avro.CommandError;
import io.pessimism.avro.CommandType;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.Envelope;
import io.pessimism.avro.EventLog;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.avro.Log;
import io.pessimism.avro.MergedInto;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineRequest;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.avro.PipelineType;
import io.pessimism.avro.Transaction;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every generated envelope and control record survives the serde unchanged, optional fields set. */
class GeneratedRecordsRoundTripTest {

    private static final String ADDRESS = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String HASH = "0x" + "ab".repeat(32);
    private static final String PUUID = "live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block:::"
            + "0b1e2c5a-63f4-4b43-9a1e-1f7c1a9c2d10";

    private final InProcessSchemaRegistry registry = InProcessSchemaRegistry.inMemory();

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void roundTrips(String name, SpecificRecord record) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        SpecificAvroSerde<SpecificRecord> serde = new SpecificAvroSerde(record.getClass(), registry);

        byte[] bytes = serde.serializer().serialize("pessimism.test." + name, record);

        assertThat(serde.deserializer().deserialize("pessimism.test." + name, bytes)).isEqualTo(record);
        assertThat(registry.subjects()).contains("pessimism.test." + name + "-value");
    }

    static Stream<Object[]> records() {
        return Stream.of(
                new Object[] {"event_log_output", eventLogOutput()},
                new Object[] {"event_log_output_marker", mergedMarker()},
                new Object[] {"account_balance_output", accountBalanceOutput()},
                new Object[] {"geth_block_output", gethBlockOutput()},
                new Object[] {"pipeline_command", pipelineCommand()},
                new Object[] {"pipeline_command_reply_ok", reply(true)},
                new Object[] {"pipeline_command_reply_error", reply(false)},
                new Object[] {"pipeline_spec", pipelineSpec()},
                new Object[] {"pipeline_status", pipelineStatus()},
                new Object[] {"address_interest", addressInterest()});
    }

    private static Envelope envelope(String register, String address) {
        return Envelope.newBuilder()
                .setPuuid(PUUID)
                .setPipelinePid("live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block")
                .setOwners(List.of("session-a", "session-b"))
                .setNetwork("layer1")
                .setRegister(register)
                .setOriginTs(1_700_000_000_000L)
                .setTimestamp(1_700_000_000_250L)
                .setAddress(address)
                .setBlockNumber(42)
                .setBlockHash(HASH)
                .setFinalizedHeight(30L)
                .setRemoved(false)
                .build();
    }

    private static EventLogOutput eventLogOutput() {
        EventLog log = EventLog.newBuilder()
                .setNetwork("layer1").setAddress(ADDRESS)
                .setTopics(List.of("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"))
                .setData("0x01").setBlockNumber(42).setBlockHash(HASH).setTransactionHash(HASH)
                .setTransactionIndex(0).setLogIndex(3).setRemoved(false)
                .build();
        return EventLogOutput.newBuilder().setEnvelope(envelope("event_log", ADDRESS)).setValue(log).build();
    }

    private static EventLogOutput mergedMarker() {
        return EventLogOutput.newBuilder()
                .setEnvelope(envelope("event_log", null))
                .setMergedInto(MergedInto.newBuilder().setPuuid(PUUID).setTopic("pessimism.live.layer1-event_log.layer1-geth_block.out")
                        .setFromHeight(43).build())
                .build();
    }

    private static AccountBalanceOutput accountBalanceOutput() {
        AccountBalance balance = AccountBalance.newBuilder()
                .setNetwork("layer1").setAddress(ADDRESS).setBlockNumber(42).setBlockHash(HASH)
                .setBalance("10000000000000000000000").setPreviousBalance("9999999999999999999999")
                .setPreviousBlockNumber(41L)
                .build();
        return AccountBalanceOutput.newBuilder().setEnvelope(envelope("account_balance", ADDRESS)).setValue(balance).build();
    }

    private static GethBlockOutput gethBlockOutput() {
        Transaction creation = Transaction.newBuilder()
                .setHash(HASH).setFrom(ADDRESS).setTo(null).setContractAddress(ADDRESS).setValue("0")
                .setNonce(0).setGas(21000).setInput("0x6080").setType(2).setTransactionIndex(0)
                .build();
        Log log = Log.newBuilder()
                .setAddress(ADDRESS).setTopics(List.of(HASH)).setData("0x").setTransactionHash(HASH)
                .setTransactionIndex(0).setLogIndex(0)
                .build();
        Block block = Block.newBuilder()
                .setNetwork("layer1").setNumber(42).setHash(HASH).setParentHash(HASH).setTimestamp(1_700_000_000L)
                .setMiner(ADDRESS).setGasUsed(21000).setGasLimit(30_000_000).setBaseFeePerGas("7")
                .setStateRoot(HASH).setReceiptsRoot(HASH).setLogsBloom("0x00")
                .setTransactions(List.of(creation)).setLogs(List.of(log)).setRemoved(true)
                .build();
        return GethBlockOutput.newBuilder().setEnvelope(envelope("geth_block", null)).setValue(block).build();
    }

    private static PipelineCommand pipelineCommand() {
        PipelineRequest request = PipelineRequest.newBuilder()
                .setNetwork("layer1").setType(PipelineType.BACKTEST).setRegister("event_log")
                .setStartHeight(5L).setEndHeight(15L).setOwner("session-a")
                .setInterests(Map.of(ADDRESS, List.of("Transfer(address,address,uint256)")))
                .build();
        return PipelineCommand.newBuilder()
                .setRequestId("req-1").setType(CommandType.CREATE).setCreate(request).setOwner("session-a")
                .setAddress(ADDRESS).setSignatures(List.of("Approval(address,address,uint256)"))
                .setEndHeight(20L).setKeepOutput(true).setMergeTarget(PUUID).setFenceHeight(99L)
                .setIssuedAt(1_700_000_000_000L)
                .build();
    }

    private static PipelineCommandReply reply(boolean ok) {
        PipelineCommandReply.Builder reply = PipelineCommandReply.newBuilder().setRequestId("req-1").setOk(ok);
        if (ok) {
            return reply.setPuuid(PUUID).setPid("live::x").setTopic("pessimism.live.x.out")
                    .setState(PipelineState.STARTING).setReused(true).build();
        }
        return reply.setError(CommandError.newBuilder().setStatus(422).setTitle("invalid request")
                .setDetail("endHeight 3 is below startHeight 5").setField("endHeight").build()).build();
    }

    private static PipelineSpec pipelineSpec() {
        return PipelineSpec.newBuilder()
                .setPuuid(PUUID).setPid("live::x").setPrefix("pessimism.live.layer1-event_log.layer1-geth_block")
                .setNetwork("layer1").setType(PipelineType.LIVE).setRegister("event_log")
                .setStartHeight(1L).setEndHeight(null).setOwners(List.of("session-a"))
                .setDesiredState(DesiredState.MERGED).setCreatedAt(1_700_000_000_000L)
                .setMergedInto(MergedInto.newBuilder().setPuuid(PUUID).setTopic("t").setFromHeight(43).build())
                .build();
    }

    private static PipelineStatus pipelineStatus() {
        return PipelineStatus.newBuilder()
                .setPuuid(PUUID).setState(PipelineState.ERROR).setHeight(40L).setHeadHeight(50L).setLag(10L)
                .setProgress(0.8).setReason("reorg deeper than 64 blocks at 41").setUpdatedAt(1_700_000_000_000L)
                .build();
    }

    private static AddressInterest addressInterest() {
        return AddressInterest.newBuilder()
                .setPuuid(PUUID).setAddress(ADDRESS).setOwner("session-a")
                .setSignatures(List.of("Transfer(address,address,uint256)")).setEffectiveFrom(5)
                .build();
    }
}
