package io.pessimism.oracle.geth;

import io.pessimism.avro.Block;

/** A block and its serialized value, encoded on a fetch thread so the writer only sends bytes. */
record EncodedBlock(Block block, byte[] value) {
}
