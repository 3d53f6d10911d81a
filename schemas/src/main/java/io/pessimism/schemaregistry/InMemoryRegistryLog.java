package io.pessimism.schemaregistry;

import java.util.ArrayList;
import java.util.List;

/** A log that lives as long as the JVM: for tests and tools that need no durability. */
final class InMemoryRegistryLog implements RegistryLog {

    private final List<RegistryLogEntry> entries = new ArrayList<>();

    @Override
    public synchronized List<RegistryLogEntry> readAll() {
        return List.copyOf(entries);
    }

    @Override
    public synchronized void append(RegistryLogEntry entry) {
        entries.add(entry);
    }

    @Override
    public void close() {
        // nothing held
    }
}
