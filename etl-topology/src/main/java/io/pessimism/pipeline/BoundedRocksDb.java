package io.pessimism.pipeline;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the memory of every RocksDB store of every branch in the JVM with one LRU block cache,
 * which also accounts the memtables (a quarter of it) and the index and filter blocks, as Kafka
 * Streams' memory-management guide describes. The cache is made once, with the size of the first
 * branch's {@value #CACHE_BYTES}, and never closed: stores come and go with branches.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** The shared budget in bytes (a branch property; the first one seen sizes the cache). */
    public static final String CACHE_BYTES = "pessimism.rocksdb.cache.bytes";

    private static final long DEFAULT_BYTES = 64L * 1024 * 1024;
    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        long bytes = configs.get(CACHE_BYTES) instanceof Number n ? n.longValue() : DEFAULT_BYTES;
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        synchronized (BoundedRocksDb.class) {
            if (cache == null) {
                cache = new LRUCache(bytes, -1, false, 0.1);
                writeBuffers = new WriteBufferManager(bytes / 4, cache);
            }
            table.setBlockCache(cache);
            options.setWriteBufferManager(writeBuffers);
        }
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and write-buffer manager are shared by every store: never closed here
    }
}
