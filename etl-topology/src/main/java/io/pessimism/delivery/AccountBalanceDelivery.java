package io.pessimism.delivery;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AccountBalanceOutput;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestIndex;
import io.pessimism.topology.Cursor;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.HorizonGate;
import io.pessimism.topology.InterestStore;
import io.pessimism.topology.PoisonRecordException;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The account_balance register as a pipeline: the oracle's shared topic holds the balance records
 * of every pipeline's addresses; this delivers those that are news to owners of this pipeline
 * ({@link BalanceNews}), as an {@code AccountBalanceOutput} keyed by the lowercase address and
 * tagged with exactly those owners. A record news to no owner of this pipeline (another
 * pipeline's address, an interest withdrawn, a balance unchanged for everyone here) is not
 * delivered. A retraction ({@code removed=true}) is delivered by the same rule with
 * {@code envelope.removed=true}.
 *
 * <p>The oracle wrote a record of block N after seeing the {@link InterestHorizon} at N, but this
 * branch's copy of the interests may lag: the {@link HorizonGate} holds the record until the
 * branch's horizon has reached N too, so an interest effective at N is never missed.
 */
final class AccountBalanceDelivery implements Processor<String, AccountBalance, String, AccountBalanceOutput> {

    private final String puuid;
    private final HorizonGate<AccountBalance> gate;
    private final EnvelopeTemplate envelopes;
    private ProcessorContext<String, AccountBalanceOutput> context;

    AccountBalanceDelivery(String puuid, HorizonGate<AccountBalance> gate, EnvelopeTemplate envelopes) {
        this.puuid = puuid;
        this.gate = gate;
        this.envelopes = envelopes;
    }

    @Override
    public void init(ProcessorContext<String, AccountBalanceOutput> context) {
        this.context = context;
        gate.init(context, this::deliver);
    }

    @Override
    public void process(Record<String, AccountBalance> record) {
        if (record.value() == null) {
            throw PoisonRecordException.tombstone("account_balance", record.key());
        }
        if (record.value().getProgress()) {
            return; // the oracle's position (counted by the branch's progress and range end), not a balance
        }
        gate.offer(record.value(), record.timestamp());
    }

    private void deliver(AccountBalance balance, long timestamp) {
        String address = balance.getAddress().toLowerCase(Locale.ROOT);
        InterestIndex index = InterestIndex.effectiveAt(InterestStore.of(gate.interests(), puuid, address),
                balance.getBlockNumber());
        List<String> owners = BalanceNews.owners(balance, index);
        if (owners.isEmpty()) {
            return;
        }
        Cursor cursor = new Cursor(balance.getBlockNumber(), balance.getBlockHash(), balance.getRemoved());
        AccountBalanceOutput output = new AccountBalanceOutput();
        output.setEnvelope(envelopes.envelope(cursor, address, owners, timestamp, context.currentSystemTimeMs()));
        output.setValue(AccountBalance.newBuilder(balance).setAddress(address).build());
        output.setMergedInto(null);
        context.forward(new Record<>(address, output, timestamp));
    }
}
