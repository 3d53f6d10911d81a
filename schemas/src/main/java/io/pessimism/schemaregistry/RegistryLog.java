package io.pessimism.schemaregistry;

import java.util.List;

/** Where the embedded registry makes its facts durable before acknowledging them. */
interface RegistryLog extends AutoCloseable {

    /** Every entry written so far, in write order. */
    List<RegistryLogEntry> readAll();

    /**
     * Makes {@code entry} durable; returns only once it is.
     *
     * @throws SchemaRegistryException 500/50001 when it could not be written
     */
    void append(RegistryLogEntry entry);

    @Override
    void close();
}
