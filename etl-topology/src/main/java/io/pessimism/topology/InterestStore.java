package io.pessimism.topology;

import io.pessimism.avro.AddressInterest;
import io.pessimism.interest.InterestKey;
import io.pessimism.topic.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The shared address state in a branch: a global store holding the compacted {@code <ns>.state}
 * topic (every pipeline's interests, key {@code <PUUID>|<address>|<owner>}), so interests added
 * while the branch runs reach it. A component reads its own pipeline's interests by a prefix scan
 * on {@code <PUUID>|}. Persistent (RocksDB, under the shared bounded cache) so a restart restores
 * from its checkpoint rather than the whole topic; values are schema-less (no subjects).
 */
public final class InterestStore {

    private static final StringSerializer KEYS = new StringSerializer();

    private InterestStore() {
    }

    /**
     * Adds the global interest store and its loader to {@code topology}.
     *
     * @param rejected counts {@code <ns>.state} records the loader could not use
     */
    static void addTo(Topology topology, Topics topics, AtomicLong rejected) {
        var state = topics.state();
        var store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeNames.INTERESTS),
                Serdes.String(), Topics.storeSerde(AddressInterest.class)).withLoggingDisabled();
        var values = state.valueSerde().deserializer();
        topology.addGlobalStore(store, NodeNames.INTERESTS_SOURCE, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(), state.name(), NodeNames.INTERESTS_LOADER,
                () -> new InterestLoader(values, rejected));
    }

    /** Every interest of {@code puuid}, in key order. */
    public static List<AddressInterest> of(ReadOnlyKeyValueStore<String, AddressInterest> store, String puuid) {
        List<AddressInterest> interests = new ArrayList<>();
        try (KeyValueIterator<String, AddressInterest> it = store.prefixScan(InterestKey.pipelinePrefix(puuid), KEYS)) {
            it.forEachRemaining(entry -> interests.add(entry.value));
        }
        return interests;
    }
}
