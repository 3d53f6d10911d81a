package io.pessimism.aggregator;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A changelogged store that the aggregator reads only from memory: every write goes to the store
 * (the state that is committed, restored and replayed) and to a sorted copy in memory, read back
 * from the store when the task starts. The aggregator reads by range on every record; RocksDB's
 * range iterators stepped over the tombstones of every block and tuple taken before (they stay in
 * its files until a compaction) and cost most of its time (bench aggregate). What is mirrored is
 * small: blocks waiting for a tuple, and tuples not yet a reorg window deep.
 *
 * @param <V> the store's value type
 */
final class MirroredStore<V> {

    private final KeyValueStore<String, V> store;
    private final NavigableMap<String, V> memory = new TreeMap<>();

    /** Mirrors {@code store}, reading all of it now. */
    MirroredStore(KeyValueStore<String, V> store) {
        this.store = store;
        try (KeyValueIterator<String, V> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, V> next = all.next();
                memory.put(next.key, next.value);
            }
        }
    }

    V get(String key) {
        return memory.get(key);
    }

    void put(String key, V value) {
        store.put(key, value);
        memory.put(key, value);
    }

    void delete(String key) {
        if (memory.remove(key) != null) {
            store.delete(key);
        }
    }

    /**
     * The entries with keys in {@code [from, to]} in key order, a null bound being open: a view, so
     * collect what to change before changing the store.
     */
    NavigableMap<String, V> range(String from, String to) {
        if (from == null && to == null) {
            return memory;
        }
        if (from == null) {
            return memory.headMap(to, true);
        }
        return to == null ? memory.tailMap(from, true) : memory.subMap(from, true, to, true);
    }

    /** The entry with the highest key, or null when empty. */
    Map.Entry<String, V> last() {
        return memory.lastEntry();
    }
}
