package io.pessimism.oracle.balance;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.AccountBalance;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BalanceLedgerTest {

    private static final String A = "0x00000000000000000000000000000000000000aa";
    private static final String B = "0x00000000000000000000000000000000000000bb";

    private final BalanceLedger ledger = new BalanceLedger(8);

    @Test
    void anAddressIsEmittedWhenFirstWatchedThenOnlyWhenItsBalanceChanges() {
        assertThat(apply(10, Map.of(A, 10L), Map.of(A, wei(5)))).singleElement().satisfies(r -> {
            assertThat(r.getBalance()).isEqualTo("5");
            assertThat(r.getPreviousBalance()).isNull();
            assertThat(r.getPreviousBlockNumber()).isNull();
        });
        assertThat(apply(11, Map.of(A, 10L), Map.of(A, wei(5)))).as("unchanged").isEmpty();
        assertThat(apply(12, Map.of(A, 10L), Map.of(A, wei(7)))).singleElement().satisfies(r -> {
            assertThat(r.getBalance()).isEqualTo("7");
            assertThat(r.getPreviousBalance()).isEqualTo("5");
            assertThat(r.getPreviousBlockNumber()).isEqualTo(10L);
        });
    }

    @Test
    void anInterestEffectiveAfterTheLastRecordGetsTheUnchangedBalanceOnce() {
        apply(10, Map.of(A, 10L), Map.of(A, wei(5)));
        assertThat(apply(14, Map.of(A, 14L), Map.of(A, wei(5)))).singleElement()
                .satisfies(r -> assertThat(r.getPreviousBlockNumber()).isEqualTo(10L));
        assertThat(apply(15, Map.of(A, 14L), Map.of(A, wei(5)))).isEmpty();
    }

    @Test
    void weiStaysExactBeyondLongAndDouble() {
        BigInteger huge = new BigInteger("123456789012345678901234567890123456789");
        assertThat(apply(1, Map.of(A, 1L), Map.of(A, huge))).singleElement()
                .satisfies(r -> assertThat(new BigInteger(r.getBalance())).isEqualTo(huge));
        assertThat(apply(2, Map.of(A, 1L), Map.of(A, huge.add(BigInteger.ONE)))).hasSize(1);
    }

    @Test
    void aRetractionRepeatsTheBlocksRecordsNewestFirstAndRestoresThePreviousBalances() {
        apply(10, Map.of(A, 10L, B, 10L), Map.of(A, wei(1), B, wei(2)));
        List<AccountBalance> orphaned = apply(11, Map.of(A, 10L, B, 10L), Map.of(A, wei(3), B, wei(4)));

        List<AccountBalance> retractions = ledger.retract(hash(11));

        List<String> newestFirst = new ArrayList<>(orphaned.stream().map(AccountBalance::getAddress).toList());
        Collections.reverse(newestFirst);
        assertThat(retractions).extracting(AccountBalance::getAddress).containsExactlyElementsOf(newestFirst);
        assertThat(retractions).allSatisfy(r -> {
            assertThat(r.getRemoved()).isTrue();
            assertThat(r.getBlockHash()).isEqualTo(hash(11));
        });
        assertThat(ledger.last(A)).isEqualTo(new BalanceLedger.Last("1", 10));
        assertThat(ledger.last(B)).isEqualTo(new BalanceLedger.Last("2", 10));
        assertThat(ledger.retract(hash(11))).as("retracted once").isEmpty();
        // the new canonical block 11 is compared with the balances of block 10 again
        assertThat(applyAt(11, "0xnew11", Map.of(A, 10L, B, 10L), Map.of(A, wei(1), B, wei(9))))
                .extracting(AccountBalance::getAddress).containsExactly(B);
    }

    @Test
    void retractingTheFirstRecordOfAnAddressForgetsIt() {
        apply(10, Map.of(A, 10L), Map.of(A, wei(1)));
        ledger.retract(hash(10));
        assertThat(ledger.last(A)).isNull();
        assertThat(ledger.size()).isZero();
    }

    @Test
    void replayingTheEmittedRecordsRebuildsTheSameLedger() {
        List<AccountBalance> topic = new ArrayList<>();
        topic.addAll(apply(10, Map.of(A, 10L), Map.of(A, wei(1))));
        topic.addAll(apply(11, Map.of(A, 10L, B, 11L), Map.of(A, wei(2), B, wei(3))));
        topic.addAll(ledger.retract(hash(11)));
        topic.addAll(applyAt(11, "0xnew11", Map.of(A, 10L, B, 11L), Map.of(A, wei(5), B, wei(3))));

        BalanceLedger rebuilt = new BalanceLedger(8);
        topic.forEach(rebuilt::replay);

        for (String address : List.of(A, B)) {
            assertThat(rebuilt.last(address)).isEqualTo(ledger.last(address));
        }
        assertThat(rebuilt.retract("0xnew11")).isEqualTo(ledger.retract("0xnew11"));
    }

    private List<AccountBalance> apply(long number, Map<String, Long> watched, Map<String, BigInteger> balances) {
        return applyAt(number, hash(number), watched, balances);
    }

    private List<AccountBalance> applyAt(long number, String hash, Map<String, Long> watched,
            Map<String, BigInteger> balances) {
        return ledger.apply("layer1", number, hash, new TreeMap<>(watched), balances);
    }

    private static String hash(long number) {
        return "0xhash" + number;
    }

    private static BigInteger wei(long value) {
        return BigInteger.valueOf(value);
    }
}
