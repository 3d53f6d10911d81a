package io.pessimism.testkit.chain;

import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.utils.Numeric;

/** anvil's node-control methods ({@code anvil_*}, {@code evm_*}), which web3j does not model. */
final class AnvilRpc {

    private final Web3jService service;
    private final String rpcUrl;

    AnvilRpc(Web3jService service, String rpcUrl) {
        this.service = service;
        this.rpcUrl = rpcUrl;
    }

    void mine(long blocks) {
        call("anvil_mine", List.of(Numeric.toHexStringWithPrefix(BigInteger.valueOf(blocks))), Ignored.class);
    }

    /** Positional parameters {@code [depth, [[txRequest, blockOffset], ...]]}, as anvil 1.x takes them. */
    void reorg(int depth, List<BranchTx> txs) {
        call("anvil_reorg", List.of(depth, txs.stream().map(BranchTx::toRpcPair).toList()), Ignored.class);
    }

    void setAutomine(boolean enabled) {
        call("evm_setAutomine", List.of(enabled), Ignored.class);
    }

    boolean automine() {
        return call("anvil_getAutomine", List.of(), Flag.class).getResult();
    }

    void setIntervalMining(long seconds) {
        call("evm_setIntervalMining", List.of(seconds), Ignored.class);
    }

    private <R extends Response<?>> R call(String method, List<?> params, Class<R> type) {
        return Rpc.send(new Request<>(method, params, service, type), rpcUrl);
    }

    /** A response whose result is not needed. */
    public static final class Ignored extends Response<Object> {
    }

    public static final class Flag extends Response<Boolean> {
    }
}
