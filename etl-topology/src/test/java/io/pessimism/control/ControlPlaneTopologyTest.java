package io.pessimism.control;

import static io.pessimism.control.Commands.ADDRESS_A;
import static io.pessimism.control.Commands.ADDRESS_B;
import static io.pessimism.control.Commands.PING;
import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AddressInterest;
import io.pessimism.avro.CommandType;
import io.pessimism.avro.DesiredState;
import io.pessimism.avro.PipelineCommand;
import io.pessimism.avro.PipelineCommandReply;
import io.pessimism.avro.PipelineSpec;
import io.pessimism.avro.PipelineStatus;
import io.pessimism.interest.MergeFence;
import io.pessimism.avro.PipelineState;
import io.pessimism.config.PipelineLimits;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.network.Network;
import io.pessimism.registry.Registry;
import io.pessimism.schemaregistry.InProcessSchemaRegistry;
import io.pessimism.topic.TopicNames;
import io.pessimism.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The single writer's behaviour, on the production topology in TopologyTestDriver. */
class ControlPlaneTopologyTest {

    private static final String EVENT_LOG_LAYER1_PREFIX = "pessimism.live.layer1-event_log.layer1-geth_block";

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, PipelineCommand> commands;
    private TestOutputTopic<String, PipelineSpec> specs;
    private TestOutputTopic<String, AddressInterest> state;
    private TestOutputTopic<String, PipelineCommandReply> replies;
    private TestInputTopic<String, PipelineStatus> statuses;
    /** The chain heads the horizons follow, as each test sets them. */
    private final Map<Network, Long> heads = new EnumMap<>(Network.class);

    @BeforeEach
    void start() {
        start(new PipelineLimits(3, 2));
    }

    private void start(PipelineLimits limits) {
        if (driver != null) {
            driver.close();
        }
        Topics topics = new Topics(new TopicNames("pessimism"), InProcessSchemaRegistry.inMemory(), -1);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "pessimism.control");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(ControlPlaneTopology.build(topics, Registry.standard(), limits,
                network -> heads.getOrDefault(network, 0L) + 1), props);
        var c = topics.pipelineCommands();
        commands = driver.createInputTopic(c.name(), c.keySerde().serializer(), c.valueSerde().serializer());
        var p = topics.pipelines();
        specs = driver.createOutputTopic(p.name(), p.keySerde().deserializer(), p.valueSerde().deserializer());
        var s = topics.state();
        state = driver.createOutputTopic(s.name(), s.keySerde().deserializer(), s.valueSerde().deserializer());
        var r = topics.pipelineReplies();
        replies = driver.createOutputTopic(r.name(), r.keySerde().deserializer(), r.valueSerde().deserializer());
        var st = topics.pipelineStatus();
        statuses = driver.createInputTopic(st.name(), st.keySerde().serializer(), st.valueSerde().serializer());
    }

    /** The runtime reports a pipeline's observed state, as a branch (or a backtest's own transaction) does. */
    private void observed(String puuid, PipelineState state, long height) {
        statuses.pipeInput(puuid, PipelineStatus.newBuilder().setPuuid(puuid).setState(state).setHeight(height)
                .setUpdatedAt(1L).build());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private PipelineCommandReply send(PipelineCommand command) {
        commands.pipeInput(command.getRequestId(), command);
        List<KeyValue<String, PipelineCommandReply>> answered = replies.readKeyValuesToList();
        assertThat(answered).as("one reply per request").hasSize(1);
        assertThat(answered.get(0).key).isEqualTo(command.getRequestId());
        return answered.get(0).value;
    }

    @Test
    void createEmitsTheSpecItsInterestsFromTheStartAndOneReply() {
        PipelineCommandReply reply = send(Commands.create(
                Commands.watching(Commands.live("layer1", "event_log", "risk-1"), ADDRESS_A, PING), 101));

        assertThat(reply.getOk()).isTrue();
        assertThat(reply.getReused()).isFalse();
        assertThat(reply.getState()).isEqualTo(PipelineState.STARTING);
        assertThat(reply.getPid()).isEqualTo("live::layer1:live:pipe:event_log::layer1:live:oracle:geth_block");
        assertThat(reply.getPuuid()).startsWith(reply.getPid() + ":::");
        assertThat(reply.getTopic()).isEqualTo(EVENT_LOG_LAYER1_PREFIX + ".out");

        KeyValue<String, PipelineSpec> spec = specs.readKeyValue();
        assertThat(spec.key).isEqualTo(reply.getPuuid());
        assertThat(spec.value.getPrefix()).isEqualTo(EVENT_LOG_LAYER1_PREFIX);
        assertThat(spec.value.getStartHeight()).as("a live pipeline starts at head + 1").isEqualTo(101L);
        assertThat(spec.value.getOwners()).containsExactly("risk-1");
        assertThat(spec.value.getDesiredState()).isEqualTo(DesiredState.RUNNING);
        assertThat(specs.isEmpty()).isTrue();

        KeyValue<String, AddressInterest> interest = state.readKeyValue();
        assertThat(interest.key).isEqualTo(reply.getPuuid() + "|" + ADDRESS_A + "|risk-1");
        assertThat(interest.value.getSignatures()).containsExactly(PING);
        assertThat(interest.value.getEffectiveFrom()).isEqualTo(101L);
    }

    @Test
    void identicalLiveCreateReusesThePipelineAndAddsTheOwnerWithInterestsFromTheNextBlock() {
        PipelineCommandReply first = send(Commands.create(Commands.live("layer1", "event_log", "risk-1"), 10));
        specs.readKeyValuesToList();

        PipelineCommandReply second = send(Commands.create(
                Commands.watching(Commands.live("layer1", "event_log", "risk-2"), ADDRESS_B, PING), 25));

        assertThat(second.getOk()).isTrue();
        assertThat(second.getReused()).isTrue();
        assertThat(second.getPuuid()).isEqualTo(first.getPuuid());
        assertThat(second.getTopic()).isEqualTo(first.getTopic());
        PipelineSpec joined = specs.readValue();
        assertThat(joined.getOwners()).containsExactly("risk-1", "risk-2");
        assertThat(joined.getStartHeight()).isEqualTo(10L);
        assertThat(state.readValue().getEffectiveFrom()).as("a reusing owner's interests start at its next block")
                .isEqualTo(25L);

        PipelineCommandReply again = send(Commands.create(Commands.live("layer1", "event_log", "risk-2"), 30));
        assertThat(again.getReused()).isTrue();
        assertThat(again.getPuuid()).isEqualTo(first.getPuuid());
        assertThat(specs.isEmpty()).as("an owner already present changes nothing").isTrue();
    }

    @Test
    void backtestsOtherNetworksAndBackfillsAreNotDeduplicated() {
        String live = send(Commands.create(Commands.live("layer1", "event_log", "a"), 50)).getPuuid();
        String otherNetwork = send(Commands.create(Commands.live("layer2", "event_log", "a"), 50)).getPuuid();
        PipelineCommandReply backfill = send(Commands.create(
                Commands.live("layer1", "event_log", "a").setStartHeight(5L), 50));
        specs.readKeyValuesToList();
        start(new PipelineLimits(10, 2)); // fresh state: the backtests get their own limit room
        PipelineCommandReply backtest1 = send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 15), 50));
        PipelineCommandReply backtest2 = send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 15), 50));

        assertThat(List.of(live, otherNetwork, backfill.getPuuid())).doesNotHaveDuplicates();
        assertThat(backfill.getReused()).isFalse();
        assertThat(backfill.getTopic()).as("a backfill has a branch of its own")
                .matches(EVENT_LOG_LAYER1_PREFIX.replace(".", "\\.") + "\\.[0-9a-f]{32}\\.out");
        assertThat(backtest1.getReused()).isFalse();
        assertThat(backtest2.getReused()).isFalse();
        assertThat(backtest1.getPuuid()).isNotEqualTo(backtest2.getPuuid());
        assertThat(backtest1.getTopic()).isNotEqualTo(backtest2.getTopic());
        assertThat(backtest1.getPid()).startsWith("backtest::layer1:backtest:pipe:event_log");
    }

    @Test
    void removeByOneOwnerKeepsThePipelineAndTheLastOwnerRemovesIt() {
        String puuid = send(Commands.create(
                Commands.watching(Commands.live("layer1", "event_log", "a"), ADDRESS_A, PING), 1)).getPuuid();
        send(Commands.create(Commands.watching(Commands.live("layer1", "event_log", "b"), ADDRESS_B, PING), 2));
        specs.readKeyValuesToList();
        state.readKeyValuesToList();

        assertThat(send(Commands.remove(puuid, "a")).getOk()).isTrue();
        assertThat(specs.readValue().getOwners()).containsExactly("b");
        assertThat(state.readKeyValuesToList()).containsExactly(new KeyValue<>(puuid + "|" + ADDRESS_A + "|a", null));

        assertThat(send(Commands.remove(puuid, "a")).getError().getStatus()).as("a is no owner any more")
                .isEqualTo(404);
        assertThat(send(Commands.remove(puuid, "b")).getOk()).isTrue();
        PipelineSpec removed = specs.readValue();
        assertThat(removed.getDesiredState()).isEqualTo(DesiredState.REMOVED);
        assertThat(removed.getOwners()).isEmpty();
        assertThat(state.readKeyValuesToList()).containsExactly(new KeyValue<>(puuid + "|" + ADDRESS_B + "|b", null));

        PipelineCommandReply recreated = send(Commands.create(Commands.live("layer1", "event_log", "c"), 9));
        assertThat(recreated.getReused()).isFalse();
        assertThat(recreated.getPuuid()).isNotEqualTo(puuid);
        assertThat(send(Commands.on(CommandType.PAUSE, puuid)).getError().getStatus()).isEqualTo(404);
    }

    @Test
    void interestsAddedLaterAreEffectiveFromTheBlockAssignedWhenAccepted() {
        String puuid = send(Commands.create(Commands.live("layer1", "event_log", "a"), 7)).getPuuid();
        specs.readKeyValuesToList();

        PipelineCommandReply added = send(Commands.addInterest(puuid, "b", ADDRESS_A, 42, PING, "Pong(uint8[])"));
        assertThat(added.getOk()).isTrue();
        assertThat(specs.readValue().getOwners()).as("the interest's owner joins").containsExactly("a", "b");
        AddressInterest interest = state.readValue();
        assertThat(interest.getEffectiveFrom()).isEqualTo(42L);
        assertThat(interest.getSignatures()).containsExactly(PING, "Pong(uint8[])");

        assertThat(send(Commands.removeInterest(puuid, "b", ADDRESS_A)).getOk()).isTrue();
        assertThat(state.readKeyValue()).isEqualTo(new KeyValue<>(puuid + "|" + ADDRESS_A + "|b", null));
        PipelineCommandReply again = send(Commands.removeInterest(puuid, "b", ADDRESS_A));
        assertThat(again.getError().getStatus()).isEqualTo(404);
        assertThat(again.getError().getField()).isEqualTo("address");
    }

    @Test
    void aRepeatedInterestKeepsTheBlockItWasFirstEffectiveFrom() {
        String puuid = send(Commands.create(Commands.live("layer1", "event_log", "a"), 7)).getPuuid();
        specs.readKeyValuesToList();
        assertThat(send(Commands.addInterest(puuid, "b", ADDRESS_A, 42, PING, "Pong(uint8[])")).getEffectiveFrom())
                .isEqualTo(42L);
        state.readKeyValuesToList();

        PipelineCommandReply again = send(Commands.addInterest(puuid, "b", ADDRESS_A, 50, "Pong(uint8[])", PING));

        assertThat(again.getOk()).isTrue();
        assertThat(again.getEffectiveFrom()).as("a retry must not skip blocks 42..49 on a lagging branch")
                .isEqualTo(42L);
        assertThat(state.isEmpty()).isTrue();
        PipelineCommandReply changed = send(Commands.addInterest(puuid, "b", ADDRESS_A, 50, PING));
        assertThat(changed.getEffectiveFrom()).as("other signatures: a new interest from the block assigned")
                .isEqualTo(50L);
        assertThat(state.readValue().getSignatures()).containsExactly(PING);
    }

    @Test
    void theHorizonFollowsTheHeadOfEachNetworkWithPipelinesAndLaterInterestsStartAboveIt() {
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertThat(state.isEmpty()).as("no active pipeline, no horizon").isTrue();
        String puuid = send(Commands.create(Commands.live("layer1", "event_log", "a"), 7)).getPuuid();
        specs.readKeyValuesToList();
        heads.put(Network.LAYER1, 20L);

        driver.advanceWallClockTime(InterestHorizon.ADVANCE_INTERVAL);

        assertThat(state.readKeyValue()).isEqualTo(new KeyValue<>("horizon|layer1",
                InterestHorizon.record(Network.LAYER1, 20)));
        driver.advanceWallClockTime(InterestHorizon.ADVANCE_INTERVAL);
        assertThat(state.isEmpty()).as("written again only when the head moves").isTrue();
        // the API read an older head (a reused read, a slow request): a branch may be past it
        PipelineCommandReply added = send(Commands.addInterest(puuid, "b", ADDRESS_A, 15, PING));
        assertThat(added.getEffectiveFrom()).isEqualTo(21L);
        assertThat(state.readValue().getEffectiveFrom()).isEqualTo(21L);
        heads.put(Network.LAYER1, 25L);
        driver.advanceWallClockTime(InterestHorizon.ADVANCE_INTERVAL);
        assertThat(state.readValue()).isEqualTo(InterestHorizon.record(Network.LAYER1, 25));
        assertThat(send(Commands.create(Commands.live("layer1", "geth_block", "c"), 3)).getSpec().getStartHeight())
                .as("a new live pipeline starts above the horizon too").isEqualTo(26L);
    }

    @Test
    void limitsRefuseNewPipelinesButNeverAReuse() {
        start(new PipelineLimits(2, 1));
        send(Commands.create(Commands.live("layer1", "event_log", "a"), 1));
        send(Commands.create(Commands.live("layer2", "event_log", "a"), 1));
        specs.readKeyValuesToList();

        PipelineCommandReply refused = send(Commands.create(Commands.live("layer1", "geth_block", "a"), 1));
        assertThat(refused.getOk()).isFalse();
        assertThat(refused.getError().getStatus()).isEqualTo(429);
        assertThat(refused.getError().getDetail()).contains("pipelines.max-active = 2");
        assertThat(specs.isEmpty()).isTrue();

        PipelineCommandReply reused = send(Commands.create(Commands.live("layer1", "event_log", "b"), 1));
        assertThat(reused.getOk()).isTrue();
        assertThat(reused.getReused()).isTrue();
    }

    @Test
    void aDoneBacktestNoLongerCountsAgainstTheLimitsAndCannotBeResumedOnlyStoppedAndRunAgain() {
        start(new PipelineLimits(5, 1));
        String done = send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 15), 100)).getPuuid();
        PipelineCommandReply refused = send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 16), 100));
        assertThat(refused.getError().getStatus()).isEqualTo(429);
        assertThat(refused.getError().getDetail()).contains("pipelines.max-concurrent-backfills = 1");

        observed(done, PipelineState.BACKFILL, 10);
        assertThat(send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 16), 100)).getOk())
                .as("still backtesting: still counted").isFalse();
        observed(done, PipelineState.DONE, 15);
        PipelineCommandReply next = send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 16), 100));
        assertThat(next.getOk()).as("a done backtest frees its slot").isTrue();

        PipelineCommandReply resume = send(Commands.on(CommandType.RESUME, done));
        assertThat(resume.getError().getStatus()).isEqualTo(409);
        assertThat(resume.getError().getDetail()).contains("is done");
        assertThat(send(Commands.on(CommandType.PAUSE, done)).getError().getStatus()).isEqualTo(409);
        PipelineCommandReply moved = send(Commands.base(CommandType.UPDATE, done, 0).setEndHeight(20L).build());
        assertThat(moved.getError().getStatus()).as("its end marker is out: a new range is a new backtest")
                .isEqualTo(409);
        assertThat(send(Commands.on(CommandType.STOP, done)).getOk()).isTrue();
        send(Commands.on(CommandType.STOP, next.getPuuid()));
        assertThat(send(Commands.on(CommandType.RESUME, done)).getOk()).as("stopped: it runs again from its start")
                .isTrue();
    }

    @Test
    void aCaughtUpBackfillIsFencedItsOwnersAndInterestsMoveToTheSharedPipelineThenItIsRetiredOnceMerged() {
        heads.put(Network.LAYER1, 99L);
        String p0 = send(Commands.create(Commands.watching(Commands.live("layer1", "event_log", "a"), ADDRESS_A, PING),
                100)).getPuuid();
        String p1 = send(Commands.create(Commands.watching(Commands.live("layer1", "event_log", "b")
                .setStartHeight(5L), ADDRESS_B, PING), 100)).getPuuid();
        assertThat(p1).isNotEqualTo(p0);
        specs.readKeyValuesToList();
        state.readKeyValuesToList();

        observed(p1, PipelineState.BACKFILL, 50);
        observed(p0, PipelineState.LIVE, 99);
        assertThat(specs.isEmpty()).as("a backfill, and the shared pipeline itself, are not merged").isTrue();
        assertThat(state.isEmpty()).isTrue();

        heads.put(Network.LAYER1, 120L);
        observed(p1, PipelineState.LIVE, 120);
        Map<String, AddressInterest> written = new java.util.LinkedHashMap<>();
        state.readKeyValuesToList().forEach(kv -> written.put(kv.key, kv.value));
        AddressInterest fence = written.get(MergeFence.key(p1));
        assertThat(fence).as("the fence of the caught-up backfill").isNotNull();
        assertThat(fence.getEffectiveFrom()).isEqualTo(121L);
        assertThat(MergeFence.of(written::get, p1).orElseThrow().getPuuid()).isEqualTo(p0);
        AddressInterest moved = written.get(p0 + "|" + ADDRESS_B + "|b");
        assertThat(moved.getSignatures()).containsExactly(PING);
        assertThat(moved.getEffectiveFrom()).as("on the shared pipeline from the fence").isEqualTo(121L);
        assertThat(specs.readValue().getOwners()).as("its owner joins the shared pipeline").containsExactly("a", "b");

        observed(p1, PipelineState.LIVE, 121);
        assertThat(state.isEmpty()).as("fenced once").isTrue();

        observed(p1, PipelineState.MERGED, 120);
        PipelineSpec merged = specs.readValue();
        assertThat(merged.getPuuid()).isEqualTo(p1);
        assertThat(merged.getDesiredState()).isEqualTo(DesiredState.MERGED);
        assertThat(merged.getMergedInto().getPuuid()).isEqualTo(p0);
        assertThat(merged.getMergedInto().getTopic()).isEqualTo(EVENT_LOG_LAYER1_PREFIX + ".out");
        assertThat(merged.getMergedInto().getFromHeight()).isEqualTo(121L);
        Map<String, AddressInterest> withdrawn = new java.util.HashMap<>();
        state.readKeyValuesToList().forEach(kv -> withdrawn.put(kv.key, kv.value));
        assertThat(withdrawn).containsOnlyKeys(p1 + "|" + ADDRESS_B + "|b", MergeFence.key(p1));
        assertThat(withdrawn.values()).containsOnlyNulls();
    }

    @Test
    void pauseResumeStopFollowTheLifecycle() {
        String puuid = send(Commands.create(Commands.live("layer1", "event_log", "a"), 1)).getPuuid();
        specs.readKeyValuesToList();

        assertThat(send(Commands.on(CommandType.PAUSE, puuid)).getState()).isEqualTo(PipelineState.PAUSED);
        assertThat(specs.readValue().getDesiredState()).isEqualTo(DesiredState.PAUSED);
        assertThat(send(Commands.on(CommandType.STOP, puuid)).getState()).isEqualTo(PipelineState.STOPPED);
        assertThat(specs.readValue().getDesiredState()).isEqualTo(DesiredState.STOPPED);
        PipelineCommandReply pauseStopped = send(Commands.on(CommandType.PAUSE, puuid));
        assertThat(pauseStopped.getError().getStatus()).isEqualTo(409);
        assertThat(specs.isEmpty()).isTrue();
        assertThat(send(Commands.on(CommandType.RESUME, puuid)).getState()).isEqualTo(PipelineState.STARTING);
        PipelineSpec resumed = specs.readValue();
        assertThat(resumed.getDesiredState()).isEqualTo(DesiredState.RUNNING);
        assertThat(resumed.getRevision()).as("every change has a higher revision").isEqualTo(4L);

        assertThat(send(Commands.on(CommandType.STOP, "live::nope")).getError().getStatus()).isEqualTo(404);
    }

    @Test
    void aBacktestsEndCanBeMovedButNotBeforeItsStart() {
        String puuid = send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 15), 100)).getPuuid();
        specs.readKeyValuesToList();

        assertThat(send(Commands.base(CommandType.UPDATE, puuid, 0).setEndHeight(20L).build()).getOk()).isTrue();
        assertThat(specs.readValue().getEndHeight()).isEqualTo(20L);
        PipelineCommandReply early = send(Commands.base(CommandType.UPDATE, puuid, 0).setEndHeight(4L).build());
        assertThat(early.getError().getField()).isEqualTo("endHeight");
        PipelineCommandReply back = send(Commands.base(CommandType.UPDATE, puuid, 0).setEndHeight(18L).build());
        assertThat(back.getError().getStatus()).as("an end moved earlier: records up to 20 may be out").isEqualTo(409);
        assertThat(back.getError().getDetail()).contains("can only move later");
    }

    @Test
    void aBacktestMarkedAtTheEdgeKeepsItsOwnSourceOnItsSpecAndNothingElseMayHaveOne() {
        send(Commands.create(Commands.backtest("layer1", "event_log", "a", 5, 15).setOwnSource(true), 100));
        send(Commands.create(Commands.backtest("layer1", "event_log", "a", 50, 60), 100));
        assertThat(specs.readValuesToList()).extracting(PipelineSpec::getOwnSource).containsExactly(true, false);

        PipelineCommandReply live = send(Commands.create(Commands.live("layer1", "event_log", "a").setOwnSource(true),
                100));
        assertThat(live.getError().getField()).isEqualTo("type");
        assertThat(live.getError().getDetail()).contains("only a backtest reads a source of its own");
        assertThat(specs.isEmpty()).isTrue();
    }

    @Test
    void aCommandTheRegistryCannotResolveIsAnsweredNotDropped() {
        PipelineCommandReply reply = send(Commands.create(Commands.live("layer1", "no_such_register", "a"), 1));
        assertThat(reply.getOk()).isFalse();
        assertThat(reply.getError().getStatus()).isEqualTo(400);
        assertThat(reply.getError().getField()).isEqualTo("register");
        assertThat(specs.isEmpty()).isTrue();
    }
}
