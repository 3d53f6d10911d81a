package io.pessimism.api;

import io.pessimism.registry.Dependency;
import io.pessimism.registry.Register;
import java.util.List;

/** A register as {@code GET /v1/registers} lists it. */
public record RegisterView(String name, int id, String componentType, boolean addressable,
        List<String> dependencies, String description) {

    static RegisterView of(Register register) {
        return new RegisterView(register.name(), register.id(), register.componentType().label(),
                register.addressable(), register.dependencies().stream().map(Dependency::toString).toList(),
                register.description());
    }
}
