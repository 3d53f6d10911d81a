package io.pessimism.app.service;

import io.pessimism.avro.Block;
import io.pessimism.oracle.OracleContext;
import io.pessimism.oracle.OracleDefinition;
import io.pessimism.oracle.OracleRunner;
import io.pessimism.oracle.OracleStatus;
import io.pessimism.oracle.ReadRoutine;
import io.pessimism.oracle.rpc.NodeClient;
import io.pessimism.registry.Register;
import io.pessimism.topic.Topic;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A second oracle, defined in test sources only: it proves a new oracle is its own files plus one
 * registration ({@code OracleCatalog.standard().with(new TestHeadDefinition())}), and that the
 * service, the leases and the resume from Kafka serve it unchanged. It writes one record per height
 * the node's head passes ({@link TestHeadSessions}) to {@code <ns>.<network>.test_head}.
 */
final class TestHeadDefinition implements OracleDefinition {

    /** Id 9: well above the seed's registers, so the lease topic must grow to hold it. */
    static final Register TEST_HEAD = Register.oracle("test_head", 9, Block.class)
            .description("the node's head, one record per height (test only)")
            .build();

    @Override
    public Register register() {
        return TEST_HEAD;
    }

    @Override
    public ReadRoutine readRoutine(OracleContext context) {
        Topic<String, Block> topic = context.topics().registerOutput(context.network(), TEST_HEAD, Block.class);
        NodeClient node = NodeClient.connect(context.settings().rpcUrl(), context.network().label(), 2);
        AtomicReference<OracleStatus> status = new AtomicReference<>(
                OracleStatus.starting(context.network().label(), topic.name()));
        return new OracleRunner(topic.name(), TEST_HEAD.name(), status, context.settings().backoff(),
                context.settings().errorBudget(),
                new TestHeadSessions(context.settings(), node, topic, status));
    }
}
