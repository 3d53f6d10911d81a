package io.pessimism.topic;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Whether the brokers a service was pointed at answer, said in terms an operator can act on: the
 * bootstrap servers and the setting that named them. Services call it before their first admin
 * or client request, whose own timeouts would fail later and without naming either.
 */
public final class BrokerCheck {

    /** The setting the bootstrap servers come from, named in every failure. */
    public static final String SETTING = "kafka.bootstrap.servers";

    private BrokerCheck() {
    }

    /** What is wrong with reaching the brokers at {@code bootstrap} through {@code admin}, or empty. */
    public static Optional<String> problem(Admin admin, String bootstrap, Duration timeout) {
        try {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("Kafka brokers at " + bootstrap + " unreachable: no answer within "
                    + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Optional.of("Kafka brokers at " + bootstrap + " unreachable: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while reaching Kafka brokers at " + bootstrap);
        }
    }

    /** Fails with {@link #problem}, naming {@link #SETTING}, unless the brokers answer within {@code timeout}. */
    public static void require(Admin admin, String bootstrap, Duration timeout) {
        problem(admin, bootstrap, timeout).ifPresent(problem -> {
            throw new IllegalStateException(problem + " (" + SETTING + ")");
        });
    }
}
