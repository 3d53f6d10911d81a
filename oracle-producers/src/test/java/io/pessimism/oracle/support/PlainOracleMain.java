package io.pessimism.oracle.support;

import io.pessimism.oracle.OracleArgs;
import io.pessimism.oracle.OracleMain;

/** {@link OracleMain} with the registry-less test serde, for tests that run the oracle as its own JVM. */
public final class PlainOracleMain {

    private PlainOracleMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(OracleMain.run(OracleArgs.parse(args), url -> PlainAvroSerde.blocks()));
    }
}
