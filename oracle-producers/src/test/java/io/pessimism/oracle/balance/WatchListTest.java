package io.pessimism.oracle.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AddressInterest;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatchListTest {

    private static final Registry REGISTRY = Registry.standard();
    private static final String A = "0x00000000000000000000000000000000000000aa";
    private static final String B = "0x00000000000000000000000000000000000000bb";

    private final WatchList watch = new WatchList(Network.LAYER1, Registers.ACCOUNT_BALANCE, REGISTRY);

    @Test
    void servesTheInterestsOfPipelinesReadingItsOracleOnItsNetworkOnly() {
        String balances = puuid("account_balance", Network.LAYER1);
        put(balances, A, "alice", 10);
        put(puuid("account_balance", Network.LAYER2), B, "bob", 10);
        put(puuid("event_log", Network.LAYER1), B, "carol", 10);

        assertThat(watch.at(20)).containsExactly(Map.entry(A, 10L));
        assertThat(watch.interests()).isEqualTo(1);
    }

    @Test
    void anAddressIsWatchedFromItsEffectiveBlockWithTheNewestEffectiveFromOfItsInterests() {
        String pipeline = puuid("account_balance", Network.LAYER1);
        put(pipeline, A, "alice", 10);
        put(pipeline, A.toUpperCase().replace("0X", "0x"), "bob", 15);

        assertThat(watch.at(9)).isEmpty();
        assertThat(watch.at(12)).containsExactly(Map.entry(A, 10L));
        assertThat(watch.at(15)).containsExactly(Map.entry(A, 15L));
    }

    @Test
    void aTombstoneWithdrawsTheInterestAtOnce() {
        String pipeline = puuid("account_balance", Network.LAYER1);
        put(pipeline, A, "alice", 10);
        watch.apply(new InterestKey(pipeline, A, "alice").render(), null);
        assertThat(watch.at(100)).isEmpty();
    }

    @Test
    void blocksShareOneAnswerUntilAnInterestChangesOrBecomesEffective() {
        String pipeline = puuid("account_balance", Network.LAYER1);
        put(pipeline, A, "alice", 10);
        put(pipeline, B, "bob", 20);

        var at10 = watch.at(10);
        assertThat(watch.at(19)).isSameAs(at10).containsExactly(Map.entry(A, 10L));
        assertThat(watch.at(20)).containsExactly(Map.entry(A, 10L), Map.entry(B, 20L));
        assertThat(watch.at(9)).isEmpty();
        assertThat(watch.at(10)).containsExactly(Map.entry(A, 10L));

        var at30 = watch.at(30);
        watch.apply(new InterestKey(pipeline, A, "alice").render(), null);
        assertThat(watch.at(30)).isNotSameAs(at30).containsExactly(Map.entry(B, 20L));
        put(pipeline, A, "alice", 25);
        assertThat(watch.at(30)).containsExactly(Map.entry(A, 25L), Map.entry(B, 20L));
        assertThat(watch.at(24)).containsExactly(Map.entry(B, 20L));
    }

    @Test
    void theHorizonIsItsNetworksAndNeverMovesBack() {
        assertThat(watch.horizon()).isEqualTo(-1);
        watch.apply(InterestHorizon.key(Network.LAYER1), InterestHorizon.record(Network.LAYER1, 7));
        watch.apply(InterestHorizon.key(Network.LAYER2), InterestHorizon.record(Network.LAYER2, 99));
        watch.apply(InterestHorizon.key(Network.LAYER1), InterestHorizon.record(Network.LAYER1, 5));
        assertThat(watch.horizon()).isEqualTo(7);
    }

    @Test
    void aRecordItCannotPlaceIsIgnored() {
        watch.apply("not-a-puuid|" + A + "|alice", interest("not-a-puuid", A, "alice", 1));
        String pipeline = puuid("account_balance", Network.LAYER1);
        watch.apply(new InterestKey(pipeline, A, "alice").render(), interest("other", A, "alice", 1));
        assertThat(watch.interests()).isZero();
    }

    private void put(String puuid, String address, String owner, long effectiveFrom) {
        watch.apply(new InterestKey(puuid, address, owner).render(), interest(puuid, address, owner, effectiveFrom));
    }

    private static AddressInterest interest(String puuid, String address, String owner, long effectiveFrom) {
        return AddressInterest.newBuilder().setPuuid(puuid).setAddress(address).setOwner(owner)
                .setSignatures(List.of()).setEffectiveFrom(effectiveFrom).build();
    }

    private static String puuid(String register, Network network) {
        return PUUID.random(PipelinePID.of(PipelineType.LIVE, REGISTRY.resolve(register, network))).toString();
    }
}
