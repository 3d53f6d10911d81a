package io.pessimism.oracle.balance;

import io.pessimism.avro.AddressInterest;
import io.pessimism.id.PUUID;
import io.pessimism.id.PipelinePID;
import io.pessimism.interest.InterestHorizon;
import io.pessimism.interest.InterestKey;
import io.pessimism.network.Network;
import io.pessimism.pipeline.PipelineType;
import io.pessimism.registry.Registry;
import io.pessimism.topic.Topic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.IntToLongFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Interests in watched addresses written to {@code <ns>.state} as the control plane writes them for
 * one account_balance pipeline: each interest, then the interest horizon that covers them.
 */
final class TestInterests implements AutoCloseable {

    private final Topic<String, AddressInterest> state;
    private final Network network;
    private final KafkaProducer<String, AddressInterest> producer;
    private final String puuid;

    TestInterests(String bootstrapServers, Topic<String, AddressInterest> state, Network network) {
        this.state = state;
        this.network = network;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), state.valueSerde().serializer());
        this.puuid = PUUID.random(PipelinePID.of(PipelineType.LIVE,
                Registry.standard().resolve("account_balance", network))).toString();
    }

    /**
     * One interest in each address (owners {@code owner0..2} in turn), effective from {@code from} of its index.
     *
     * @return each address with the block its interest is effective from, in order
     */
    Map<String, Long> watch(List<String> addresses, IntToLongFunction from) throws ExecutionException,
            InterruptedException {
        Map<String, Long> effectiveFrom = new LinkedHashMap<>();
        for (int i = 0; i < addresses.size(); i++) {
            AddressInterest interest = AddressInterest.newBuilder().setPuuid(puuid).setAddress(addresses.get(i))
                    .setOwner("owner" + (i % 3)).setSignatures(List.of()).setEffectiveFrom(from.applyAsLong(i)).build();
            producer.send(new ProducerRecord<>(state.name(), InterestKey.of(interest).render(), interest)).get();
            effectiveFrom.put(addresses.get(i), interest.getEffectiveFrom());
        }
        return effectiveFrom;
    }

    /** The interest horizon: every interest effective up to {@code height} is on the topic. */
    void horizon(long height) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(state.name(), InterestHorizon.key(network),
                InterestHorizon.record(network, height))).get();
    }

    @Override
    public void close() {
        producer.close();
    }
}
