package io.pessimism.testkit.rpc;

/**
 * Which requests a switched-on {@link NodeFault} strikes: those calling {@code method} (any method
 * when null; for a request fault, a batch with at least one such call), and of those only every
 * {@code everyNth}, so that live traffic still makes progress while the fault is on.
 */
public record FaultTrigger(String method, int everyNth) {

    public FaultTrigger {
        if (everyNth < 1) {
            throw new IllegalArgumentException("everyNth must be at least 1, got " + everyNth);
        }
        if (method != null && method.isBlank()) {
            throw new IllegalArgumentException("method must be null (any) or a JSON-RPC method name, got '" + method + "'");
        }
    }

    /** Every request. */
    public static FaultTrigger always() {
        return new FaultTrigger(null, 1);
    }

    /** Every request calling {@code method}. */
    public static FaultTrigger method(String method) {
        return new FaultTrigger(method, 1);
    }

    /** The same, striking only every {@code n}th of the requests it matches. */
    public FaultTrigger everyNth(int n) {
        return new FaultTrigger(method, n);
    }

    boolean matches(String calledMethod) {
        return method == null || method.equals(calledMethod);
    }

    @Override
    public String toString() {
        return (method == null ? "any method" : method) + (everyNth == 1 ? "" : ", every " + everyNth + "th");
    }
}
