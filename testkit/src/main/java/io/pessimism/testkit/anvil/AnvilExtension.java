package io.pessimism.testkit.anvil;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension owning an {@link Anvil}. Registered on a static field, one node serves the
 * whole test class; on an instance field, each test gets a fresh chain:
 *
 * <pre>{@code
 * @RegisterExtension static final AnvilExtension ANVIL = AnvilExtension.create();
 * @RegisterExtension final AnvilExtension chain = AnvilExtension.of(Anvil.builder().chainId(10));
 * }</pre>
 */
public final class AnvilExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Anvil.Builder builder;
    private Anvil anvil;
    private boolean perClass;

    private AnvilExtension(Anvil.Builder builder) {
        this.builder = builder;
    }

    /** Default anvil: chain id 31337, automine. */
    public static AnvilExtension create() {
        return of(Anvil.builder());
    }

    public static AnvilExtension of(Anvil.Builder builder) {
        return new AnvilExtension(builder);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        anvil = builder.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // only called without beforeAll when registered on an instance field: one chain per test
        if (anvil == null) {
            anvil = builder.start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void stop() {
        if (anvil != null) {
            anvil.close();
            anvil = null;
        }
    }

    public Anvil anvil() {
        if (anvil == null) {
            throw new IllegalStateException("anvil is only available inside the test lifecycle");
        }
        return anvil;
    }

    public String httpUrl() {
        return anvil().httpUrl();
    }

    public String wsUrl() {
        return anvil().wsUrl();
    }

    public long chainId() {
        return anvil().chainId();
    }
}
