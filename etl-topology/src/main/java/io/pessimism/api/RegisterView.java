package io.pessimism.api;

import io.pessimism.registry.Dependency;
import io.pessimism.registry.Register;
import java.util.List;

/**
 * A register as {@code GET /v1/registers} lists it.
 *
 * @param addressable   whether its pipelines take interests (addresses)
 * @param matchesEvents whether an interest names event signatures (else it is an address alone)
 * @param pipeline      whether this service can run a pipeline of it (a create for it is accepted)
 */
public record RegisterView(String name, int id, String componentType, boolean addressable, boolean matchesEvents,
        boolean pipeline, List<String> dependencies, String description) {

    static RegisterView of(Register register, boolean pipeline) {
        return new RegisterView(register.name(), register.id(), register.componentType().label(),
                register.addressable(), register.matchesEvents(), pipeline,
                register.dependencies().stream().map(Dependency::toString).toList(), register.description());
    }
}
