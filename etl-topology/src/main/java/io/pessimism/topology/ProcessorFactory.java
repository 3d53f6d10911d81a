package io.pessimism.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;

/**
 * The implementation of one register as a Kafka Streams processor: the SPI the topology generator
 * looks up by register name in a {@link ComponentCatalog}. A pipe's processor receives its
 * dependencies' records (key: the block number for block-driven sources) and forwards its
 * register's {@code .out} value (envelope + typed value); an aggregator's receives every input in
 * the order of its register's dependencies. For an oracle's register the factory is the oracle's
 * delivery: its processor receives the oracle's records when a pipeline asks for the oracle's
 * register itself, and forwards the register's {@code .out} value. Stores a processor needs are
 * declared by its supplier's {@link ProcessorSupplier#stores()}, named with
 * {@link ComponentContext#storeName}.
 */
public interface ProcessorFactory {

    /** The register this factory implements. */
    String register();

    /** The value class the processor forwards: the register's {@code <prefix>.out} schema. */
    Class<? extends SpecificRecord> outputType();

    /** The processor of one component of one branch. */
    ProcessorSupplier<String, ?, String, ?> processor(ComponentContext context);
}
