package io.pessimism.oracle.balance;

import io.pessimism.oracle.OracleContext;
import io.pessimism.oracle.OracleDefinition;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registers;
import io.pessimism.registry.Registry;

/**
 * The AccountBalance oracle: exact balances of the watched addresses, per block, into
 * {@code <ns>.<network>.account_balance}. Interests name pipelines of the standard registry.
 */
public final class AccountBalanceDefinition implements OracleDefinition {

    @Override
    public Register register() {
        return Registers.ACCOUNT_BALANCE;
    }

    @Override
    public ReadRoutine readRoutine(OracleContext context) {
        return new AccountBalanceOracle(context.settings(), BalanceTopics.of(context.topics(), context.network()),
                Registry.standard());
    }
}
