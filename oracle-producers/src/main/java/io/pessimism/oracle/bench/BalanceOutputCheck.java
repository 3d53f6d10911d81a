package io.pessimism.oracle.bench;

import io.pessimism.avro.AccountBalance;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks what one pass of the balance benchmark produced. A raw pass must have read, at every block,
 * exactly the balance the {@link BalanceSchedule} set. An oracle pass's output topic (read
 * {@code read_committed}) must hold exactly the records those reads call for: for each address one at
 * the first block (it became watched there) and one at each block where its balance differs from the
 * block before, in block order, each with that block's hash, the balance read there and the one it
 * replaces; nothing else. Each check throws, naming the first problems, or returns what it counted.
 */
public final class BalanceOutputCheck {

    /** Problems named in a failure, at most. */
    private static final int SHOWN = 10;

    /** One block of the benchmark, as the block topic holds it. */
    public record BenchBlock(long number, String hash, long offset) {
    }

    /** One record of an oracle pass's output: its key and value. */
    public record Written(String key, AccountBalance value) {
    }

    private BalanceOutputCheck() {
    }

    /**
     * @param reads the balances a raw pass read, by block (in {@code blocks} order), address → wei
     * @return the balances checked
     * @throws IllegalStateException when a balance is missing or differs from the schedule
     */
    public static long raw(String pass, BalanceSchedule schedule, List<BenchBlock> blocks,
            List<Map<String, BigInteger>> reads) {
        List<String> problems = new ArrayList<>();
        if (reads.size() != blocks.size()) {
            problems.add("read " + reads.size() + " blocks of " + blocks.size());
        }
        long checked = 0;
        List<String> addresses = schedule.addressList();
        for (int b = 0; b < Math.min(reads.size(), blocks.size()); b++) {
            Map<String, BigInteger> read = reads.get(b);
            if (read.size() != schedule.addresses()) {
                problems.add("block " + blocks.get(b).number() + ": " + read.size() + " balances read, expected "
                        + schedule.addresses());
            }
            for (int i = 0; i < schedule.addresses(); i++) {
                BigInteger expected = schedule.balance(i, b);
                BigInteger got = read.get(addresses.get(i));
                if (!expected.equals(got)) {
                    problems.add("block " + blocks.get(b).number() + ", " + addresses.get(i) + ": read "
                            + got + ", the schedule set " + expected);
                }
                checked++;
            }
        }
        fail(pass, problems);
        return checked;
    }

    /**
     * @param reads the balances a (checked) raw pass read at the same blocks, by block, address → wei
     * @return the records checked
     * @throws IllegalStateException when a record is missing, extra, out of order or wrong in a field
     */
    public static long oracle(String pass, String network, List<String> addresses, List<BenchBlock> blocks,
            List<Map<String, BigInteger>> reads, List<Written> topic) {
        List<Written> output = topic.stream().filter(w -> !w.value().getProgress()).toList(); // marks: no balance
        List<String> problems = new ArrayList<>();
        Map<Long, Integer> index = new HashMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            index.put(blocks.get(b).number(), b);
        }
        // what each address's records must be: the blocks where it is new or changed
        Map<String, List<Integer>> expected = new HashMap<>();
        long expectedCount = 0;
        for (String address : addresses) {
            List<Integer> at = new ArrayList<>();
            for (int b = 0; b < blocks.size(); b++) {
                if (b == 0 || !Objects.equals(reads.get(b).get(address), reads.get(b - 1).get(address))) {
                    at.add(b);
                }
            }
            expected.put(address, at);
            expectedCount += at.size();
        }
        if (output.size() != expectedCount) {
            problems.add(output.size() + " records, expected " + expectedCount);
        }
        Map<String, Integer> seen = new HashMap<>(); // records of each address so far
        long lastBlock = Long.MIN_VALUE;
        for (Written written : output) {
            AccountBalance record = written.value();
            String where = record.getAddress() + " at block " + record.getBlockNumber();
            if (record.getBlockNumber() < lastBlock) {
                problems.add(where + ": after a record of block " + lastBlock);
            }
            lastBlock = Math.max(lastBlock, record.getBlockNumber());
            Integer b = index.get(record.getBlockNumber());
            List<Integer> due = expected.get(record.getAddress());
            if (b == null || due == null) {
                problems.add(where + ": not a watched address at a benchmark block");
                continue;
            }
            int n = seen.merge(record.getAddress(), 1, Integer::sum) - 1;
            if (n >= due.size() || due.get(n) != b.intValue()) {
                problems.add(where + ": record " + (n + 1) + " of the address, expected "
                        + (n < due.size() ? "at block " + blocks.get(due.get(n)).number() : "none"));
                continue;
            }
            BenchBlock block = blocks.get(b);
            String balance = String.valueOf(reads.get(b).get(record.getAddress()));
            String previous = n == 0 ? null : String.valueOf(reads.get(due.get(n - 1)).get(record.getAddress()));
            Long previousBlock = n == 0 ? null : blocks.get(due.get(n - 1)).number();
            check(problems, where, "key", Long.toString(block.number()), written.key());
            check(problems, where, "network", network, record.getNetwork());
            check(problems, where, "blockHash", block.hash(), record.getBlockHash());
            check(problems, where, "balance", balance, record.getBalance());
            check(problems, where, "previousBalance", previous, record.getPreviousBalance());
            check(problems, where, "previousBlockNumber", previousBlock, record.getPreviousBlockNumber());
            check(problems, where, "removed", false, record.getRemoved());
        }
        for (Map.Entry<String, List<Integer>> entry : expected.entrySet()) {
            int got = seen.getOrDefault(entry.getKey(), 0);
            if (got < entry.getValue().size()) {
                problems.add(entry.getKey() + ": " + got + " records, expected " + entry.getValue().size()
                        + " (the first missing at block " + blocks.get(entry.getValue().get(got)).number() + ")");
            }
        }
        fail(pass, problems);
        return output.size();
    }

    private static void check(List<String> problems, String where, String field, Object expected, Object got) {
        if (!Objects.equals(expected, got)) {
            problems.add(where + ": " + field + " " + got + ", expected " + expected);
        }
    }

    private static void fail(String pass, List<String> problems) {
        if (problems.isEmpty()) {
            return;
        }
        throw new IllegalStateException(pass + ": wrong output, " + problems.size() + " problem(s): "
                + String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size())))
                + (problems.size() > SHOWN ? "; ..." : ""));
    }
}
