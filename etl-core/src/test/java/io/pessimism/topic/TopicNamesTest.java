package io.pessimism.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.avro.Block;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import io.pessimism.registry.TestRegisters;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    private static final UUID UUID_1 = UUID.fromString("0f8e2a6c-1b3d-4e5f-9a7b-c8d9e0f1a2b3");

    private final Registry registry = TestRegisters.registry();
    private final TopicNames names = new TopicNames("pessimism");

    private PUUID puuid(PipelineType type, String register, Network network) {
        return new PUUID(PipelinePID.of(type, registry.resolve(register, network)), UUID_1);
    }

    @Test
    void registerOutputs() {
        assertThat(names.registerTopic(Network.LAYER1, "geth_block"))
                .isEqualTo("pessimism.layer1.geth_block");
        assertThat(names.registerTopic(Network.LAYER2, Registers.ACCOUNT_BALANCE))
                .isEqualTo("pessimism.layer2.account_balance");
    }

    @Test
    void sharedPipelinePrefixComesFromThePidOnly() {
        PUUID live = puuid(PipelineType.LIVE, "event_log", Network.LAYER1);
        String prefix = names.pipelinePrefix(live, true);
        assertThat(prefix).isEqualTo("pessimism.live.layer1-event_log.layer1-geth_block");
        assertThat(names.pipelinePrefix(live.pid())).isEqualTo(prefix);
        assertThat(names.out(prefix))
                .isEqualTo("pessimism.live.layer1-event_log.layer1-geth_block.out");
        assertThat(names.dlq(prefix)).endsWith("-geth_block.dlq");
        assertThat(names.applicationId(prefix)).isEqualTo(prefix);
    }

    @Test
    void aLiveOraclePipelineNamesItsOracleTwice() {
        String balances = names.pipelinePrefix(puuid(PipelineType.LIVE, "account_balance", Network.LAYER1), true);
        assertThat(balances).isEqualTo("pessimism.live.layer1-account_balance.layer1-account_balance");
        assertThat(names.out(balances)).isEqualTo("pessimism.live.layer1-account_balance.layer1-account_balance.out");
        String blocks = names.pipelinePrefix(puuid(PipelineType.LIVE, "geth_block", Network.LAYER1), true);
        assertThat(blocks).isEqualTo("pessimism.live.layer1-geth_block.layer1-geth_block");
        assertThat(names.out(blocks)).isEqualTo("pessimism.live.layer1-geth_block.layer1-geth_block.out");
    }

    @Test
    void nonSharedPipelinePrefixAddsTheUuid() {
        PUUID backtest = puuid(PipelineType.BACKTEST, "account_balance", Network.LAYER2);
        String prefix = names.pipelinePrefix(backtest, false);
        assertThat(prefix).isEqualTo("pessimism.backtest.layer2-account_balance"
                + ".layer2-account_balance.0f8e2a6c1b3d4e5f9a7bc8d9e0f1a2b3");
        assertThat(names.source(prefix)).isEqualTo(prefix + ".source");
    }

    @Test
    void aggregatorPrefixNamesItsTriggerSource() {
        PUUID sync = puuid(PipelineType.LIVE, "l1_l2_sync", Network.LAYER1);
        assertThat(names.pipelinePrefix(sync, true))
                .isEqualTo("pessimism.live.layer1-l1_l2_sync.layer2-geth_block");
    }

    @Test
    void controlTopics() {
        TopicNames staging = new TopicNames("staging-eu_1");
        assertThat(staging.pipelineCommands()).isEqualTo("staging-eu_1.pipeline-commands");
        assertThat(staging.pipelines()).isEqualTo("staging-eu_1.pipelines");
        assertThat(staging.pipelineStatus()).isEqualTo("staging-eu_1.pipeline-status");
        assertThat(staging.state()).isEqualTo("staging-eu_1.state");
        assertThat(staging.oracleLeases()).isEqualTo("staging-eu_1.oracle-leases");
        assertThat(staging.schemas()).isEqualTo("staging-eu_1._schemas");
        assertThat(staging.pipelineReplies()).isEqualTo("staging-eu_1.pipeline-replies");
        assertThat(staging.controlApplicationId()).isEqualTo("staging-eu_1.control");
    }

    @Test
    void kafkaStreamsInternalTopicsFitUnderTheLongestPrefix() {
        String longest = new TopicNames("n".repeat(TopicNames.MAX_NAMESPACE_LENGTH))
                .pipelinePrefix(new PUUID(PipelinePID.of(PipelineType.BACKTEST,
                        Registry.of(Registers.GETH_BLOCK, longName()).resolve(
                                longName().name(), Network.LAYER1)), UUID_1), false);
        assertThat(longest.length()).isLessThanOrEqualTo(TopicNames.MAX_PREFIX_LENGTH);
        String store = "s".repeat(TopicNames.MAX_INTERNAL_NAME_LENGTH);
        assertThat(names.repartition(longest, store)).hasSizeLessThanOrEqualTo(249);
        assertThat(names.changelog(longest, store)).endsWith(store + "-changelog");
        assertThatThrownBy(() -> names.changelog(longest, store + "s"))
                .hasMessageContaining("at most " + TopicNames.MAX_INTERNAL_NAME_LENGTH);
    }

    private static Register longName() {
        return Register.pipe("p".repeat(28), 50, Block.class).dependsOn("geth_block").build();
    }

    @Test
    void tooLongOrIllegalNamesAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> TopicNames.requireTopic("a".repeat(250)))
                .hasMessageContaining("is too long: 250 characters, at most 249 allowed");
        assertThatThrownBy(() -> TopicNames.requireTopic("pessimism.layer1/geth"))
                .hasMessageContaining("\"pessimism.layer1/geth\" is illegal")
                .hasMessageContaining("[a-zA-Z0-9._-]+");
        assertThatThrownBy(() -> names.out("x".repeat(150)))
                .hasMessageContaining("pipeline prefix")
                .hasMessageContaining("at most 149 allowed");
        assertThatThrownBy(() -> names.registerTopic(Network.LAYER1, "Geth.Block"))
                .hasMessageContaining("\"Geth.Block\"");
    }

    @Test
    void namespaceIsValidatedNamingTheKey() {
        assertThatThrownBy(() -> new TopicNames(""))
                .hasMessage("namespace: must not be empty");
        assertThatThrownBy(() -> new TopicNames("pessimism.prod"))
                .hasMessageStartingWith("namespace: \"pessimism.prod\" must match [a-zA-Z0-9_-]+");
        assertThatThrownBy(() -> new TopicNames("p#q")).hasMessageStartingWith("namespace:");
        assertThatThrownBy(() -> new TopicNames("n".repeat(33)))
                .hasMessageContaining("33 characters, at most 32 allowed");
    }
}
