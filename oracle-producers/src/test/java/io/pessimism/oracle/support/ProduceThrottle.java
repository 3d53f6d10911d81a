package io.pessimism.oracle.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * A slow broker for one client: a {@code producer_byte_rate} quota on its client id. Once the client
 * has written more than the rate allows, the broker answers its produce requests with a throttle
 * time and mutes its connection for that long; the client sends nothing more to that broker
 * meanwhile (KIP-219). A transactional producer's commit then waits behind its records: its
 * transaction stays open, its records written and undecided, for the throttle time.
 */
public final class ProduceThrottle implements AutoCloseable {

    private final Admin admin;
    private final ClientQuotaEntity client;
    private boolean on;

    public ProduceThrottle(String bootstrapServers, String clientId) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.client = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
    }

    /** Limits the client's produce requests to {@code bytesPerSecond}. */
    public void limit(long bytesPerSecond) throws ExecutionException, InterruptedException {
        alter(new ClientQuotaAlteration.Op("producer_byte_rate", (double) bytesPerSecond));
        on = true;
    }

    /** Removes the limit. */
    public void lift() throws ExecutionException, InterruptedException {
        alter(new ClientQuotaAlteration.Op("producer_byte_rate", null));
        on = false;
    }

    private void alter(ClientQuotaAlteration.Op op) throws ExecutionException, InterruptedException {
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(client, List.of(op)))).all().get();
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
