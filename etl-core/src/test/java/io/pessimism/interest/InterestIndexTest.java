package io.pessimism.interest;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AddressInterest;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class InterestIndexTest {

    private static final String A = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String B = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    private static final String PING = "Ping(address,uint256)";
    private static final String TRANSFER = "Transfer(address,address,uint256)";

    private static final List<AddressInterest> INTERESTS = List.of(
            interest("carol", A, 10, PING),
            interest("alice", A, 5, PING, TRANSFER),
            interest("bob", B, 20, TRANSFER),
            interest("dave", B, 30), // an address only, as account_balance has them
            interest("erin", A, 100, PING)); // not yet effective below 100

    @Test
    void ownersOfAnEventAreThoseWatchingThatEventAtThatAddressSorted() {
        InterestIndex index = InterestIndex.effectiveAt(INTERESTS, 50);

        assertThat(index.owners(A, topic0(PING))).containsExactly("alice", "carol");
        assertThat(index.owners(A, topic0(TRANSFER))).containsExactly("alice");
        assertThat(index.owners(B, topic0(TRANSFER))).containsExactly("bob");
    }

    @Test
    void noOwnerIsMatchedByAnotherOwnersInterest() {
        InterestIndex index = InterestIndex.effectiveAt(INTERESTS, 50);

        assertThat(index.owners(B, topic0(PING))).isEmpty(); // Ping is watched, but at A
        assertThat(index.owners(A, topic0("Approval(address,address,uint256)"))).isEmpty();
        assertThat(index.owners("0x" + "0".repeat(40), topic0(PING))).isEmpty();
        assertThat(index.owners(A, null)).isEmpty(); // a log without topics
    }

    @Test
    void addressesAndTopicsAreComparedCaseInsensitively() {
        InterestIndex index = InterestIndex.effectiveAt(
                List.of(interest("alice", "0x5FbDB2315678afecb367f032d93F642f64180aa3", 0, PING)), 0);

        assertThat(index.owners(A.toUpperCase().replace("0X", "0x"), topic0(PING).toUpperCase().replace("0X", "0x")))
                .containsExactly("alice");
        assertThat(index.owners(A)).containsExactly("alice");
        assertThat(index.addresses()).containsExactly(A);
        assertThat(index.effectiveFrom(A.toUpperCase().replace("0X", "0x"), "alice")).hasValue(0);
    }

    @Test
    void onlyInterestsEffectiveAtTheHeightCount() {
        assertThat(InterestIndex.effectiveAt(INTERESTS, 4).isEmpty()).isTrue();
        assertThat(InterestIndex.effectiveAt(INTERESTS, 5).owners(A, topic0(PING))).containsExactly("alice");
        assertThat(InterestIndex.effectiveAt(INTERESTS, 10).owners(A, topic0(PING))).containsExactly("alice", "carol");
        assertThat(InterestIndex.effectiveAt(INTERESTS, 100).owners(A, topic0(PING)))
                .containsExactly("alice", "carol", "erin");
        assertThat(InterestIndex.effectiveAt(List.of(), 100).isEmpty()).isTrue();
    }

    @Test
    void ownersOfAnAddressAreThoseWatchingItWhateverTheirSignatures() {
        InterestIndex index = InterestIndex.effectiveAt(INTERESTS, 50);

        assertThat(index.owners(A)).containsExactly("alice", "carol");
        assertThat(index.owners(B)).containsExactly("bob", "dave");
        assertThat(index.owners("0x" + "0".repeat(40))).isEmpty();
        assertThat(index.owners(null)).isEmpty();
    }

    @Test
    void anInterestWithoutSignaturesWatchesItsAddressButNoEvent() {
        InterestIndex index = InterestIndex.effectiveAt(List.of(interest("dave", B, 0)), 0);

        assertThat(index.isEmpty()).isFalse();
        assertThat(index.addresses()).containsExactly(B);
        assertThat(index.owners(B)).containsExactly("dave");
        assertThat(index.owners(B, topic0(TRANSFER))).isEmpty();
    }

    @Test
    void theWatchedAddressesAreThoseOfTheEffectiveInterestsSorted() {
        assertThat(InterestIndex.effectiveAt(INTERESTS, 50).addresses()).containsExactly(A, B);
        assertThat(InterestIndex.effectiveAt(INTERESTS, 19).addresses()).containsExactly(A);
        assertThat(InterestIndex.effectiveAt(INTERESTS, 0).addresses()).isEmpty();
    }

    @Test
    void tellsFromWhichBlockEachOwnersInterestInAnAddressIsEffective() {
        InterestIndex index = InterestIndex.effectiveAt(INTERESTS, 50);

        assertThat(index.effectiveFrom(A, "alice")).hasValue(5);
        assertThat(index.effectiveFrom(A, "carol")).hasValue(10);
        assertThat(index.effectiveFrom(B, "dave")).hasValue(30);
        assertThat(index.effectiveFrom(B, "alice")).isEqualTo(OptionalLong.empty()); // alice watches A only
        assertThat(index.effectiveFrom(A, "erin")).isEmpty(); // effective from 100
        assertThat(index.effectiveFrom(null, "alice")).isEmpty();
    }

    private static AddressInterest interest(String owner, String address, long effectiveFrom, String... signatures) {
        return new AddressInterest("puuid", address, owner, List.of(signatures), effectiveFrom);
    }

    private static String topic0(String signature) {
        return EventSignature.topic0(signature);
    }
}
