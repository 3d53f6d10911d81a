package io.pessimism.pipeline;

import io.pessimism.topic.Topics;
import io.pessimism.topology.TopologyGenerator;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;

/** What every branch of a runtime shares: settings, topics, the generator and the clients. */
record BranchServices(BranchSettings settings, Topics topics, TopologyGenerator generator, Admin admin,
                      StatusBoard status, StartPosition startPosition, ScheduledExecutorService timer,
                      StartPacer pacer, SourceHealth sources, BranchMetrics metrics) {
}
