package io.pessimism.topology;

import io.pessimism.avro.Block;
import io.pessimism.avro.GethBlockOutput;
import io.pessimism.registry.Register;
import io.pessimism.registry.Registry;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Two registers defined only in test sources, with their processors: {@code block_digest} (a pipe
 * over geth_block: each block without its transactions and logs) and {@code digest_relay} (a pipe
 * over block_digest: the even blocks, each hash once, remembered in a store of its own).
 */
final class DigestRegisters {

    static final Register BLOCK_DIGEST = Register.pipe("block_digest", 60, Block.class)
            .dependsOn("geth_block").description("blocks without transactions and logs").build();
    static final Register DIGEST_RELAY = Register.pipe("digest_relay", 61, Block.class)
            .dependsOn("block_digest").description("even block digests, each hash once").build();

    private DigestRegisters() {
    }

    static Registry registry() {
        Registry registry = Registry.standard();
        registry.registerAll(List.of(BLOCK_DIGEST, DIGEST_RELAY));
        return registry;
    }

    static ComponentCatalog catalog() {
        return ComponentCatalog.standard().with(new DigestFactory()).with(new RelayFactory());
    }

    static final class DigestFactory implements ProcessorFactory {
        @Override
        public String register() {
            return BLOCK_DIGEST.name();
        }

        @Override
        public Class<GethBlockOutput> outputType() {
            return GethBlockOutput.class;
        }

        @Override
        public ProcessorSupplier<String, Block, String, GethBlockOutput> processor(ComponentContext context) {
            EnvelopeTemplate envelopes = new EnvelopeTemplate(context);
            return () -> new Processor<>() {
                private ProcessorContext<String, GethBlockOutput> ctx;

                @Override
                public void init(ProcessorContext<String, GethBlockOutput> ctx) {
                    this.ctx = ctx;
                }

                @Override
                public void process(Record<String, Block> record) {
                    Block block = Block.newBuilder(record.value()).setTransactions(List.of()).setLogs(List.of()).build();
                    var cursor = new Cursor(block.getNumber(), block.getHash(), block.getRemoved());
                    var out = new GethBlockOutput(envelopes.envelope(cursor, null, List.of(), record.timestamp(),
                            ctx.currentSystemTimeMs()), block, null, null);
                    ctx.forward(record.withValue(out));
                }
            };
        }
    }

    static final class RelayFactory implements ProcessorFactory {
        @Override
        public String register() {
            return DIGEST_RELAY.name();
        }

        @Override
        public Class<GethBlockOutput> outputType() {
            return GethBlockOutput.class;
        }

        @Override
        public ProcessorSupplier<String, GethBlockOutput, String, GethBlockOutput> processor(ComponentContext context) {
            String seen = context.storeName("seen");
            return new ProcessorSupplier<>() {
                @Override
                public Processor<String, GethBlockOutput, String, GethBlockOutput> get() {
                    return new Processor<>() {
                        private ProcessorContext<String, GethBlockOutput> ctx;
                        private KeyValueStore<String, Long> store;

                        @Override
                        public void init(ProcessorContext<String, GethBlockOutput> ctx) {
                            this.ctx = ctx;
                            this.store = ctx.getStateStore(seen);
                        }

                        @Override
                        public void process(Record<String, GethBlockOutput> record) {
                            Block block = record.value().getValue();
                            if (block.getNumber() % 2 != 0 || store.get(block.getHash()) != null) {
                                return;
                            }
                            store.put(block.getHash(), block.getNumber());
                            record.value().getEnvelope().setRegister(DIGEST_RELAY.name());
                            ctx.forward(record);
                        }
                    };
                }

                @Override
                public Set<StoreBuilder<?>> stores() {
                    return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(seen),
                            Serdes.String(), Serdes.Long()));
                }
            };
        }
    }
}
