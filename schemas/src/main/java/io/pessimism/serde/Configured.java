package io.pessimism.serde;

/** Guards a serde used before it has a registry to talk to. */
final class Configured {

    private Configured() {
    }

    static <T> T require(T delegate, Class<?> owner) {
        if (delegate == null) {
            throw new IllegalStateException(owner.getSimpleName() + " is not configured: call configure(Map, isKey) with "
                    + AvroSerdeConfig.SCHEMA_REGISTRY_URL + ", or construct it with a SchemaRegistryClient");
        }
        return delegate;
    }
}
