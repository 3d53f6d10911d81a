package io.pessimism.delivery;

import io.pessimism.avro.AccountBalance;
import io.pessimism.interest.InterestIndex;
import java.util.List;

/**
 * Which owners of a pipeline an account_balance record is news for. The oracle writes one record
 * per address and block for every pipeline at once: when the balance changed since its last record
 * of the address, or when an interest in the address (of any pipeline) became effective since
 * then. So a record can be news to some owners of this pipeline, to others, or to none:
 *
 * <p>owner {@code o} is given the record of address X at block N iff o's interest in X is
 * effective at N ({@code effectiveFrom <= N}) and either the balance changed
 * ({@code previousBalance} null or different from {@code balance}) or o's interest became
 * effective after the oracle's previous record of X ({@code effectiveFrom > previousBlockNumber};
 * no previous record is news to everyone). A retraction repeats the orphaned record, so the same
 * owners are told to undo it (by the interests effective when it is delivered).
 */
final class BalanceNews {

    private BalanceNews() {
    }

    /** The owners {@code record} is news for, sorted; empty when none (then nothing is delivered). */
    static List<String> owners(AccountBalance record, InterestIndex effectiveAtItsBlock) {
        String address = record.getAddress();
        List<String> watching = effectiveAtItsBlock.owners(address);
        Long previousBlock = record.getPreviousBlockNumber();
        if (watching.isEmpty() || changed(record) || previousBlock == null) {
            return watching;
        }
        return watching.stream()
                .filter(owner -> effectiveAtItsBlock.effectiveFrom(address, owner).orElseThrow() > previousBlock)
                .toList();
    }

    /** Whether the balance differs from the oracle's previous record of the address (or there is none). */
    static boolean changed(AccountBalance record) {
        return record.getPreviousBalance() == null || !record.getPreviousBalance().equals(record.getBalance());
    }
}
