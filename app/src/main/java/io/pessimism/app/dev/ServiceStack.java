package io.pessimism.app.dev;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Services started by one process, closed in reverse start order (the API before the ETL before the
 * broker), each close attempted even when an earlier one failed.
 */
public final class ServiceStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceStack.class);

    private final Deque<NamedService> started = new ArrayDeque<>();

    private record NamedService(String name, AutoCloseable service) {}

    /** Registers an already started service and returns it. */
    public <T extends AutoCloseable> T add(String name, T service) {
        started.push(new NamedService(name, service));
        return service;
    }

    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            NamedService s = started.pop();
            try {
                s.service().close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", s.name(), e.toString());
            }
        }
    }
}
