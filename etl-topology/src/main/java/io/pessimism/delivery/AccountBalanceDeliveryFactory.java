package io.pessimism.delivery;

import io.pessimism.avro.AccountBalance;
import io.pessimism.avro.AccountBalanceOutput;
import io.pessimism.registry.Registers;
import io.pessimism.topology.ComponentContext;
import io.pessimism.topology.EnvelopeTemplate;
import io.pessimism.topology.HorizonGate;
import io.pessimism.topology.ProcessorFactory;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/** The account_balance register's delivery: {@link AccountBalanceDelivery} over the oracle's topic. */
public final class AccountBalanceDeliveryFactory implements ProcessorFactory {

    @Override
    public String register() {
        return Registers.ACCOUNT_BALANCE.name();
    }

    @Override
    public Class<AccountBalanceOutput> outputType() {
        return AccountBalanceOutput.class;
    }

    @Override
    public ProcessorSupplier<String, AccountBalance, String, AccountBalanceOutput> processor(ComponentContext context) {
        String puuid = context.branch().puuid();
        EnvelopeTemplate envelopes = new EnvelopeTemplate(context);
        return HorizonGate.gated(context, AccountBalance.class, AccountBalance::getBlockNumber,
                gate -> new AccountBalanceDelivery(puuid, gate, envelopes));
    }
}
