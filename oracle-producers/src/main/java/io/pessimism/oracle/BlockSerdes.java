package io.pessimism.oracle;

import io.pessimism.avro.Block;
import org.apache.kafka.common.serialization.Serde;

/** The value serde of the block topics: Confluent-wire Avro against the schema registry. */
public final class BlockSerdes {

    private BlockSerdes() {
    }

    public static Serde<Block> forRegistry(String registryUrl) {
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new IllegalArgumentException("--registry-url is required: blocks are written in the Confluent wire"
                    + " format with their schema registered");
        }
        // Wired to io.pessimism.serde.SpecificAvroSerde once the schemas module's serde is on main.
        throw new UnsupportedOperationException("the schema-registry serde is not merged yet");
    }
}
