package io.pessimism.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a stopped or removed branch leaves behind, deleted (DESIGN.md §6): its local state, its
 * consumer group (offsets), and for a removal its {@code .out}, {@code .dlq} and internal topics.
 * Each failure names the branch and what could not be deleted.
 */
final class BranchCleanup {

    private static final Logger log = LoggerFactory.getLogger(BranchCleanup.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String prefix;
    private final BranchServices services;

    BranchCleanup(String prefix, BranchServices services) {
        this.prefix = prefix;
        this.services = services;
    }

    void deleteLocalState() {
        Path dir = services.settings().stateDir().resolve(prefix);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new IllegalStateException("branch " + prefix + ": could not delete local state " + dir + ": " + e, e);
        }
    }

    void deleteGroup() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (!tryDeleteGroup(deadline)) {
                TimeUnit.MILLISECONDS.sleep(200); // the closed member is still leaving the group
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting the consumer group of " + prefix, e);
        }
    }

    /** Deletes the branch's consumer group (its offsets); false while a member is still leaving. */
    private boolean tryDeleteGroup(long deadline) throws InterruptedException {
        try {
            services.admin().deleteConsumerGroups(List.of(prefix)).all().get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return true;
            }
            if (e.getCause() instanceof GroupNotEmptyException && System.nanoTime() < deadline) {
                // A member of an instance that stopped in ERROR never left (static membership):
                // remove every member; every instance is stopping this branch too.
                services.admin().removeMembersFromConsumerGroup(prefix, new RemoveMembersFromConsumerGroupOptions());
                return false;
            }
            throw new IllegalStateException("branch " + prefix + ": could not delete its consumer group: "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Deletes the branch's topics and their schema subjects: {@code .dlq}, a backtest's own
     * {@code .source}, the internal topics, and {@code .out} unless {@code keepOutput} (the spec's: a
     * consumer still reads it).
     */
    void deleteTopics(boolean keepOutput) {
        try {
            Set<String> names = services.admin().listTopics().names().get();
            String out = services.topics().names().out(prefix);
            String dlq = services.topics().names().dlq(prefix);
            String source = services.topics().names().source(prefix);
            List<String> owned = names.stream()
                    .filter(n -> (n.equals(out) && !keepOutput) || n.equals(dlq) || n.equals(source) || isInternal(n))
                    .sorted().toList();
            if (!owned.isEmpty()) {
                services.admin().deleteTopics(owned).all().get();
                log.info("branch {}: deleted topics {}", prefix, owned);
            }
            deleteSubjects(keepOutput ? List.of(dlq, source) : List.of(out, dlq, source));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw new IllegalStateException("branch " + prefix + ": could not delete its topics: "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deleting the topics of " + prefix, e);
        }
    }

    /** Soft-deletes the value (and key) subjects the serdes registered for these topics. */
    private void deleteSubjects(List<String> topics) {
        var registry = services.topics().registry();
        List<String> subjects = registry.subjects().stream()
                .filter(s -> topics.stream().anyMatch(t -> s.equals(t + "-value") || s.equals(t + "-key")))
                .sorted().toList();
        for (String subject : subjects) {
            registry.deleteSubject(subject);
        }
        if (!subjects.isEmpty()) {
            log.info("branch {}: deleted schema subjects {}", prefix, subjects);
        }
    }

    private boolean isInternal(String topic) {
        return topic.startsWith(prefix + "-") && (topic.endsWith("-changelog") || topic.endsWith("-repartition"));
    }
}
