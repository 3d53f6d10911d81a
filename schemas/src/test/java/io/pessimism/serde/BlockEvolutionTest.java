package io.pessimism.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.pessimism.avro.Block;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * {@code Block.createdContracts} came after blocks were on topics that keep history forever: the
 * block schema before it and the one with it read each other's records (the subjects are
 * BACKWARD_TRANSITIVE), and an older block reads as "the oracle did not look" (null), not as "no
 * contract created" (empty).
 */
class BlockEvolutionTest {

    private static final String FIELD = "createdContracts";

    /** The block schema as it was: the current one without the field. */
    private static Schema before() {
        Schema now = Block.getClassSchema();
        List<Schema.Field> fields = now.getFields().stream().filter(f -> !f.name().equals(FIELD))
                .map(f -> new Schema.Field(f, f.schema())).toList();
        return Schema.createRecord(now.getName(), now.getDoc(), now.getNamespace(), false, fields);
    }

    @Test
    void theBlockSchemaWithCreatedContractsIsCompatibleBothWays() {
        assertThat(Block.getClassSchema().getField(FIELD)).isNotNull();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(Block.getClassSchema(), before()).getType())
                .as("new readers, old blocks").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(before(), Block.getClassSchema()).getType())
                .as("old readers, new blocks").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void aBlockWrittenBeforeTheFieldReadsAsNotLookedFor() throws Exception {
        Schema old = before();
        GenericRecord block = new GenericData.Record(old);
        for (Schema.Field field : old.getFields()) {
            block.put(field.name(), switch (field.name()) {
                case "network" -> "layer1";
                case "number", "timestamp", "gasUsed", "gasLimit" -> 1L;
                case "transactions", "logs" -> List.of();
                case "removed" -> false;
                case "baseFeePerGas" -> null;
                default -> "0x01";
            });
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old).write(block, encoder);
        encoder.flush();

        Block read = new SpecificDatumReader<Block>(old, Block.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getNumber()).isEqualTo(1);
        assertThat(read.getCreatedContracts()).isNull();
    }
}
