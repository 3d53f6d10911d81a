package io.pessimism.testkit.kafka;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;

/**
 * A slow broker for one client: a {@code producer_byte_rate} quota on its client id. Once the client
 * has written more than the rate allows, the broker answers its produce requests with a throttle
 * time and mutes its connection for that long; the client sends nothing more to that broker
 * meanwhile (KIP-219). A transactional producer's commit then waits behind its records: its
 * transaction stays open, its records written and undecided, for the throttle time.
 */
public final class ProduceThrottle implements AutoCloseable {

    private static final String RATE = "producer_byte_rate";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Admin admin;
    private final ClientQuotaEntity client;
    private boolean on;

    /** A throttle on the client {@code clientId}. */
    public ProduceThrottle(String bootstrapServers, String clientId) {
        this(bootstrapServers, new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId)));
    }

    private ProduceThrottle(String bootstrapServers, ClientQuotaEntity client) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.client = client;
    }

    /**
     * A throttle on every client without a quota of its own (the default client-id quota): for
     * clients whose ids are not known in advance, e.g. Kafka Streams' producers, named after a
     * random process id.
     */
    public static ProduceThrottle everyClient(String bootstrapServers) {
        return new ProduceThrottle(bootstrapServers,
                new ClientQuotaEntity(Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null)));
    }

    /**
     * Limits the client's produce requests to {@code bytesPerSecond}; returns once the broker's metadata
     * holds the limit (the controller accepts it before the broker applies it).
     */
    public void limit(long bytesPerSecond) throws ExecutionException, InterruptedException {
        alter(new ClientQuotaAlteration.Op(RATE, (double) bytesPerSecond));
        on = true;
        await("the broker holds the produce quota of " + client).atMost(WAIT)
                .until(() -> Optional.ofNullable(current()).equals(Optional.of((double) bytesPerSecond)));
    }

    /** Removes the limit; returns once the broker's metadata no longer holds it. */
    public void lift() throws ExecutionException, InterruptedException {
        alter(new ClientQuotaAlteration.Op(RATE, null));
        on = false;
        await("the broker drops the produce quota of " + client).atMost(WAIT).until(() -> current() == null);
    }

    private void alter(ClientQuotaAlteration.Op op) throws ExecutionException, InterruptedException {
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(client, List.of(op)))).all().get();
    }

    /** The client's produce quota in the broker's metadata, or null. */
    private Double current() throws ExecutionException, InterruptedException {
        String clientId = client.entries().get(ClientQuotaEntity.CLIENT_ID);
        ClientQuotaFilterComponent component = clientId == null
                ? ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.CLIENT_ID)
                : ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, clientId);
        Map<ClientQuotaEntity, Map<String, Double>> quotas = admin.describeClientQuotas(
                ClientQuotaFilter.containsOnly(List.of(component))).entities().get();
        return quotas.getOrDefault(client, Map.of()).get(RATE);
    }

    @Override
    public void close() {
        try {
            if (on) {
                lift();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not lift the produce quota of " + client, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            admin.close();
        }
    }
}
