package io.pessimism.serde;

import io.pessimism.schemaregistry.CompatibilityLevel;
import io.pessimism.schemaregistry.CompatibilityResult;
import io.pessimism.schemaregistry.SchemaRegistryClient;
import io.pessimism.schemaregistry.SchemaRegistryException;
import io.pessimism.schemaregistry.SchemaVersion;
import java.util.List;
import org.apache.avro.Schema;

/** A registry that gives every schema one fixed id and remembers the last: pins wire bytes. */
final class FixedIdRegistry implements SchemaRegistryClient {

    private final int id;
    private Schema schema;

    FixedIdRegistry(int id) {
        this.id = id;
    }

    @Override
    public int register(String subject, Schema registered) {
        this.schema = registered;
        return id;
    }

    @Override
    public Schema schemaById(int requested) {
        if (requested != id || schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + requested + " not found");
        }
        return schema;
    }

    @Override
    public SchemaVersion lookup(String subject, Schema s) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> subjects() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> versions(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SchemaVersion version(String subject, int version) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SchemaVersion latest(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema s) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityLevel globalCompatibility() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        throw new UnsupportedOperationException();
    }
}
