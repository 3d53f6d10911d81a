package io.pessimism.oracle.balance;

import io.pessimism.oracle.OracleFailure;

/** The AccountBalance oracle cannot go on: what it read cannot be made into balances (named in the message). */
final class BalanceOracleFailure extends OracleFailure {

    private static final long serialVersionUID = 1L;

    BalanceOracleFailure(String message) {
        super(message);
    }
}
