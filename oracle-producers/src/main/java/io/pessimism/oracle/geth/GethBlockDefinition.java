package io.pessimism.oracle.geth;

import io.pessimism.oracle.BackTestRoutine;
import io.pessimism.oracle.OracleContext;
import io.pessimism.oracle.OracleDefinition;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registers;
import java.util.Optional;

/** The GethBlock oracle: blocks with their logs into {@code <ns>.<network>.geth_block}; it can backtest a range. */
public final class GethBlockDefinition implements OracleDefinition {

    @Override
    public Register register() {
        return Registers.GETH_BLOCK;
    }

    @Override
    public ReadRoutine readRoutine(OracleContext context) {
        return new GethBlockOracle(context.settings(), context.topics().blocks(context.network()));
    }

    @Override
    public Optional<BackTestRoutine> backTestRoutine(OracleContext context) {
        return Optional.of(new GethBlockBackTest(context.settings(), context.topics().blocks(context.network())));
    }
}
