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
 * on {@code <PUUID>|} (or one address's on {@code <PUUID>|<address>|}). Persistent (RocksDB, under the shared bounded cache) so a restart restores
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
     * @param puuid    the branch's pipeline, which its global thread logs as
     */
    static void addTo(Topology topology, Topics topics, AtomicLong rejected, String puuid) {
        var state = topics.state();
        var store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NodeNames.INTERESTS),
                Serdes.String(), Topics.storeSerde(AddressInterest.class)).withLoggingDisabled();
        var values = state.valueSerde().deserializer();
        topology.addGlobalStore(store, NodeNames.INTERESTS_SOURCE, Serdes.String().deserializer(),
                Serdes.ByteArray().deserializer(), state.name(), NodeNames.INTERESTS_LOADER,
                PipelineLogContext.of(puuid, () -> new InterestLoader(values, rejected)));
    }

    /** Every interest of {@code puuid}, in key order. */
    public static List<AddressInterest> of(ReadOnlyKeyValueStore<String, AddressInterest> store, String puuid) {
        return scan(store, InterestKey.pipelinePrefix(puuid));
    }

    /**
     * The interests of {@code puuid} in one address (any case), in key order: a component that
     * looks addresses up one at a time scans only theirs.
     */
    public static List<AddressInterest> of(ReadOnlyKeyValueStore<String, AddressInterest> store, String puuid,
            String address) {
        return scan(store, InterestKey.addressPrefix(puuid, address));
    }

    private static List<AddressInterest> scan(ReadOnlyKeyValueStore<String, AddressInterest> store, String prefix) {
        List<AddressInterest> interests = new ArrayList<>();
        try (KeyValueIterator<String, AddressInterest> it = store.prefixScan(prefix, KEYS)) {
            it.forEachRemaining(entry -> interests.add(entry.value));
        }
        return interests;
    }
}
