package io.pessimism.topology.bench;

import io.pessimism.avro.Block;
import io.pessimism.avro.EventLogOutput;
import io.pessimism.interest.EventSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * What {@code bench pipe} checks of each pass before it counts the pass. The topic holds blocks
 * 1..n of {@link BenchBlocks}, each with {@link BenchBlocks#WATCHED_PER_BLOCK} watched logs: an
 * emitting job (the event_log branch, the hand-written filter) must write exactly those logs, in
 * order, each once, for the bench's owner; decode-and-drop must have decoded every block once, in
 * order, with all its logs. The branch's and the filter's records must be the same, record by
 * record, except for the envelope's {@code timestamp} (when each was emitted).
 */
final class PipeOutputCheck {

    private PipeOutputCheck() {
    }

    /** What an emitting job wrote: how many records, and a digest of their keys and content in order. */
    record Emitted(long records, String digest) {
    }

    /**
     * Checks one emitting job's {@code .out}, record by record as it is read.
     * Not thread-safe: one reader feeds it.
     */
    static final class Emissions {

        private final String job;
        private final long blocks;
        private final List<Integer> watched;
        private final String topic0 = EventSignature.topic0(BenchBlocks.PING);
        private final MessageDigest digest;
        private final SpecificDatumWriter<EventLogOutput> writer = new SpecificDatumWriter<>(EventLogOutput.class);
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private BinaryEncoder encoder;
        private long records;

        /**
         * @param job    names the job and pass in errors, e.g. "round 2: the event_log branch"
         * @param blocks blocks in the topic
         * @param logs   logs per block
         */
        Emissions(String job, long blocks, int logs) {
            this.job = job;
            this.blocks = blocks;
            this.watched = IntStream.range(0, logs).filter(i -> BenchBlocks.isWatched(i, logs)).boxed().toList();
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no SHA-256 in this JVM", e);
            }
        }

        /**
         * The next record of the job's {@code .out}.
         *
         * @throws IllegalStateException naming the job, the record and what was expected
         */
        void accept(String key, EventLogOutput value) {
            long block = records / watched.size() + 1;
            int logIndex = watched.get((int) (records % watched.size()));
            records++;
            if (value == null || value.getValue() == null || value.getMergedInto() != null
                    || value.getBacktestEnd() != null) {
                throw new IllegalStateException(job + ": record " + records + " is not a data record: " + value);
            }
            var envelope = value.getEnvelope();
            var log = value.getValue();
            if (log.getBlockNumber() != block || log.getLogIndex() != logIndex || envelope.getBlockNumber() != block) {
                throw new IllegalStateException(job + ": record " + records + " is block " + log.getBlockNumber()
                        + " log " + log.getLogIndex() + ", expected block " + block + " log " + logIndex
                        + (block > blocks ? " (past the topic's " + blocks + " blocks: one too many)" : "")
                        + " (a record missing or repeated)");
            }
            if (!BenchBlocks.WATCHED.equals(key) || !BenchBlocks.WATCHED.equals(log.getAddress())
                    || log.getTopics().isEmpty() || !topic0.equals(log.getTopics().get(0)) || !List.of(BenchBlocks.OWNER).equals(envelope.getOwners())
                    || log.getRemoved() || envelope.getRemoved()) {
                throw new IllegalStateException(job + ": record " + records + " (block " + block + " log " + logIndex
                        + ") is not the watched event for owner " + BenchBlocks.OWNER + ", key " + key + ": " + value);
            }
            digest(key, value);
        }

        /** Adds the record to the digest, its emission time aside (it differs between any two jobs). */
        private void digest(String key, EventLogOutput value) {
            long emitted = value.getEnvelope().getTimestamp();
            value.getEnvelope().setTimestamp(0L);
            try {
                bytes.reset();
                encoder = EncoderFactory.get().binaryEncoder(bytes, encoder);
                encoder.writeString(key);
                writer.write(value, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("could not encode record " + records + " of " + job, e);
            } finally {
                value.getEnvelope().setTimestamp(emitted);
            }
            digest.update(bytes.toByteArray());
        }

        /**
         * The job's output once read to its end.
         *
         * @throws IllegalStateException when it holds fewer records than the blocks' watched logs
         */
        Emitted finish() {
            long expected = blocks * watched.size();
            if (records != expected) {
                throw new IllegalStateException(job + ": wrote " + records + " records, expected " + expected
                        + " (" + watched.size() + " watched logs in each of " + blocks + " blocks)");
            }
            return new Emitted(records, HexFormat.of().formatHex(digest.digest()));
        }
    }

    /**
     * The event_log branch's and the hand-written filter's outputs of one pass are the same.
     *
     * @throws IllegalStateException naming the pass and both outputs' counts and digests
     */
    static void same(Emitted branch, Emitted filter, String pass) {
        if (!branch.equals(filter)) {
            throw new IllegalStateException(pass + ": the event_log branch wrote " + branch.records()
                    + " records (digest " + branch.digest() + "), the hand-written filter " + filter.records()
                    + " (digest " + filter.digest() + "); they must write the same records");
        }
    }

    /**
     * Counts what decode-and-drop decoded: every block once, in order, with all its logs. Fed by
     * its stream thread, read by the bench after the job is closed; the first wrong block is kept
     * (not thrown in the stream thread, which would stop the job) and reported by {@link #finish}.
     */
    static final class Decoded {

        private final String job;
        private final int logs;
        private long blocks;
        private long decodedLogs;
        private String wrong;

        Decoded(String job, int logs) {
            this.job = job;
            this.logs = logs;
        }

        /** The next block the job decoded. */
        synchronized void accept(Block block) {
            blocks++;
            if (wrong == null && (block.getNumber() != blocks || block.getLogs().size() != logs)) {
                wrong = "decoded block " + block.getNumber() + " (" + block.getLogs().size() + " logs) in place "
                        + blocks + "; expected block " + blocks + " with " + logs + " logs (a block missing or "
                        + "repeated)";
            }
            decodedLogs += block.getLogs().size();
        }

        /** Blocks decoded so far (the bench's clock of the job). */
        synchronized long blocks() {
            return blocks;
        }

        /**
         * @return the logs decoded
         * @throws IllegalStateException when the job did not decode exactly blocks 1..{@code expected}
         */
        synchronized long finish(long expected) {
            if (wrong != null) {
                throw new IllegalStateException(job + ": " + wrong);
            }
            if (blocks != expected) {
                throw new IllegalStateException(job + ": decoded " + blocks + " blocks, expected " + expected);
            }
            return decodedLogs;
        }
    }
}
