package io.pessimism.oracle.balance;

import io.pessimism.avro.AccountBalance;
import io.pessimism.oracle.TopicTail;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the AccountBalance oracle has emitted, as far as its next decisions need it: the last
 * balance emitted for each address (and its block), and the records of the last blocks, so a
 * retracted block's records can be retracted. Everything here is a function of the oracle's own
 * topic (read back in order with {@link #replay}), so a restarted oracle decides exactly as the
 * one before it would have.
 *
 * <p>The rule (DESIGN.md §4): at block N an address gets a record when its balance differs from the
 * last one emitted, or it has none yet, or an interest in it became effective after the block of
 * the last one (so that interest has not seen it). Each record carries the balance it replaces, so
 * a retraction restores it without a lookup.
 */
final class BalanceLedger implements TopicTail.Replay<AccountBalance> {

    /** The last balance emitted for an address, at block {@code block}: as written, and as a number. */
    record Last(String balance, BigInteger wei, long block) {
        Last(String balance, long block) {
            this(balance, new BigInteger(balance), block);
        }
    }

    private final int window;
    private final Map<String, Last> last = new HashMap<>();
    /** The records of the last {@code window} blocks that had any, oldest first. */
    private final Deque<BlockRecords> recent = new ArrayDeque<>();

    /** @param window how many blocks' records are kept to retract them on a reorg */
    BalanceLedger(int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be at least 1, got " + window);
        }
        this.window = window;
    }

    /** The last balance emitted for {@code address}, or null. */
    Last last(String address) {
        return last.get(address);
    }

    /** Addresses with a last balance. */
    int size() {
        return last.size();
    }

    /**
     * The records block {@code number} ({@code hash}) yields and takes into the ledger.
     *
     * @param watched the addresses watched at the block, each with the newest effectiveFrom (≤ the block)
     *                of its interests
     * @param balances the balance of each watched address at the block, in wei
     */
    List<AccountBalance> apply(String network, long number, String hash, Map<String, Long> watched,
            Map<String, BigInteger> balances) {
        List<AccountBalance> emitted = new ArrayList<>();
        for (Map.Entry<String, Long> entry : watched.entrySet()) {
            String address = entry.getKey();
            BigInteger wei = Objects.requireNonNull(balances.get(address), () -> "no balance read for " + address
                    + " at block " + number);
            Last previous = last.get(address);
            // compared as numbers: most balances do not change, and only a record needs the decimal string
            boolean news = previous == null || !previous.wei().equals(wei) || entry.getValue() > previous.block();
            if (news) {
                AccountBalance record = AccountBalance.newBuilder()
                        .setNetwork(network)
                        .setAddress(address)
                        .setBlockNumber(number)
                        .setBlockHash(hash)
                        .setBalance(wei.toString())
                        .setPreviousBalance(previous == null ? null : previous.balance())
                        .setPreviousBlockNumber(previous == null ? null : previous.block())
                        .setRemoved(false)
                        .build();
                emitted.add(record);
                take(record, new Last(record.getBalance(), wei, number));
            }
        }
        return emitted;
    }

    /**
     * The retractions of every record emitted at block {@code hash}, newest first, each undone in
     * the ledger. Empty when the block had none, or is older than the window (the block oracle fails on
     * a reorg deeper than its own window, which is not larger than this one).
     */
    List<AccountBalance> retract(String hash) {
        List<AccountBalance> retractions = new ArrayList<>();
        for (Iterator<BlockRecords> it = recent.descendingIterator(); it.hasNext();) {
            BlockRecords block = it.next();
            if (!block.hash().equals(hash)) {
                continue;
            }
            List<AccountBalance> records = block.records();
            for (int i = records.size() - 1; i >= 0; i--) {
                AccountBalance retraction = AccountBalance.newBuilder(records.get(i)).setRemoved(true).build();
                retractions.add(retraction);
            }
            break;
        }
        retractions.forEach(this::replay);
        return retractions;
    }

    /** The whole topic decides the ledger: a read back never stops early. */
    @Override
    public boolean full() {
        return false;
    }

    /** Takes one record of the oracle's topic, in topic order: the ledger's state after it. */
    @Override
    public void replay(AccountBalance record) {
        if (record.getProgress()) {
            return; // a progress mark: no balance
        }
        if (record.getRemoved()) {
            undo(record);
            return;
        }
        take(record, new Last(record.getBalance(), record.getBlockNumber()));
    }

    /** Takes a record emitted (not a retraction), whose balance is {@code now}. */
    private void take(AccountBalance record, Last now) {
        last.put(record.getAddress(), now);
        BlockRecords tip = recent.peekLast();
        if (tip == null || !tip.hash().equals(record.getBlockHash())) {
            tip = new BlockRecords(record.getBlockNumber(), record.getBlockHash(), new ArrayList<>());
            recent.addLast(tip);
            if (recent.size() > window) {
                recent.removeFirst();
            }
        }
        tip.records().add(record);
    }

    private void undo(AccountBalance retraction) {
        if (retraction.getPreviousBalance() == null) {
            last.remove(retraction.getAddress());
        } else {
            last.put(retraction.getAddress(), new Last(retraction.getPreviousBalance(),
                    retraction.getPreviousBlockNumber()));
        }
        BlockRecords tip = recent.peekLast();
        if (tip != null && tip.hash().equals(retraction.getBlockHash())) {
            tip.records().removeIf(r -> r.getAddress().equals(retraction.getAddress()));
            if (tip.records().isEmpty()) {
                recent.removeLast();
            }
        }
    }

    private record BlockRecords(long number, String hash, List<AccountBalance> records) {
    }
}
