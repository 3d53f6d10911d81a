package io.pessimism.oracle.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What the broker says about one consume-transform-produce writer: its output partition's end as a
 * {@code read_uncommitted} reader sees it (the high watermark) and as a {@code read_committed} reader
 * does (the last stable offset, held at the first record of the oldest undecided transaction), its
 * transactional id's state, and the offset its consumer group committed on its input.
 */
public final class TransactionProbe implements AutoCloseable {

    /** The output partition's two ends at one moment: {@code stable < end} while a transaction is undecided. */
    public record Ends(long stable, long end) {
        public boolean undecided() {
            return stable < end;
        }
    }

    private final Admin admin;
    private final TopicPartition output;
    private final String transactionalId;
    private final String group;
    private final TopicPartition input;

    public TransactionProbe(String bootstrapServers, TopicPartition output, String transactionalId, String group,
            TopicPartition input) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.output = output;
        this.transactionalId = transactionalId;
        this.group = group;
        this.input = input;
    }

    /**
     * The output's ends, the high watermark asked first: a last stable offset below it, asked after,
     * means a transaction was undecided when it was asked (with none, the last stable offset is the
     * high watermark, which never goes back). Before the writer has created the output: both 0.
     */
    public Ends ends() throws ExecutionException, InterruptedException {
        try {
            long end = offset(IsolationLevel.READ_UNCOMMITTED);
            long stable = offset(IsolationLevel.READ_COMMITTED);
            return new Ends(stable, end);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return new Ends(0, 0);
            }
            throw e;
        }
    }

    /** The transactional id's state at the coordinator ({@code Ongoing}, {@code CompleteCommit}, ...). */
    public TransactionDescription transaction() throws ExecutionException, InterruptedException {
        return admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
    }

    /** How long the transactional id's transaction has been open at the coordinator; zero when none is. */
    public Duration openFor() throws ExecutionException, InterruptedException {
        TransactionDescription transaction = transaction();
        if (transaction.state() != TransactionState.ONGOING || transaction.transactionStartTimeMs().isEmpty()) {
            return Duration.ZERO;
        }
        return Duration.ofMillis(System.currentTimeMillis() - transaction.transactionStartTimeMs().getAsLong());
    }

    /**
     * The group's committed offset on the input: the one its last committed transaction wrote. An
     * offset sent in a transaction still undecided is not counted (nor waited for) until it commits.
     */
    public Optional<Long> committed() throws ExecutionException, InterruptedException {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(group,
                new ListConsumerGroupOffsetsOptions().requireStable(false)).partitionsToOffsetAndMetadata().get()
                .get(input);
        return Optional.ofNullable(committed).map(OffsetAndMetadata::offset);
    }

    private long offset(IsolationLevel isolation) throws ExecutionException, InterruptedException {
        return admin.listOffsets(Map.of(output, OffsetSpec.latest()), new ListOffsetsOptions(isolation))
                .partitionResult(output).get().offset();
    }

    @Override
    public void close() {
        admin.close();
    }
}
