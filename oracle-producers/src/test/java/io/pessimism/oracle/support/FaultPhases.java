package io.pessimism.oracle.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pessimism.oracle.OracleStatus;
import io.pessimism.testkit.rpc.FaultTrigger;
import io.pessimism.testkit.rpc.NodeFault;
import io.pessimism.testkit.rpc.RpcFaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An oracle under live traffic through an {@link RpcFaultProxy}, each node fault switched on in turn
 * until it has struck a few times and the oracle has counted a node error (or, for a fault that only
 * slows the node, moved on), then off, the oracle catching up before the next: the phases the node
 * fault tests of every oracle share. The tests then check the oracle's output against the node.
 */
public final class FaultPhases {

    /**
     * A fault, the requests it strikes, and whether the oracle must see it as a node error; the
     * triggers spare some traffic so the oracle makes progress in between.
     */
    public record Phase(NodeFault fault, FaultTrigger trigger, boolean nodeError) {
    }

    /** The oracle under test and its traffic. */
    public interface Subject {

        /** The status of the oracle whose node errors count (what {@code pessimism_node_errors_total} reports). */
        OracleStatus status();

        /** Waits until the oracle has committed the node's head as it is now, failing with {@code when} after a deadline. */
        void catchUp(String when);

        /** Throws the failure that stopped the traffic, if one did: a static chain proves nothing. */
        void checkTraffic();
    }

    private FaultPhases() {
    }

    /**
     * Runs {@code phases} in order, each waiting at most {@code wait} for {@code strikes} strikes.
     *
     * @return one line per phase: strikes, node errors, the last error
     */
    public static List<String> run(RpcFaultProxy proxy, List<Phase> phases, int strikes, Duration wait,
            Subject subject) {
        List<String> report = new ArrayList<>();
        subject.catchUp("before any fault");
        for (Phase phase : phases) {
            OracleStatus before = subject.status();
            long fired = proxy.fired(phase.fault());
            proxy.on(phase.fault(), phase.trigger());
            await(phase + " strikes " + strikes + " times and the oracle "
                    + (phase.nodeError() ? "counts node errors" : "moves on")).atMost(wait)
                    .until(() -> {
                        subject.checkTraffic();
                        return proxy.fired(phase.fault()) >= fired + strikes && (phase.nodeError()
                                ? subject.status().nodeErrors() > before.nodeErrors()
                                : subject.status().oracleHead() > before.oracleHead());
                    });
            proxy.off(phase.fault());
            OracleStatus during = subject.status();
            report.add(phase + ": struck " + (proxy.fired(phase.fault()) - fired) + " times, "
                    + (during.nodeErrors() - before.nodeErrors()) + " node errors, last "
                    + during.lastError().orElse("none"));
            if (phase.nodeError()) {
                assertThat(during.lastError()).as("%s", report).isPresent();
            }
            subject.catchUp("after " + phase);
            subject.checkTraffic();
        }
        return report;
    }
}
