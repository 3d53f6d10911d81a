package io.pessimism.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The budget on a moved clock: a run of node errors is timed from its first, and a step going through ends it. */
class NodeErrorBudgetTest {

    private final AtomicLong clock = new AtomicLong(1_000);
    private final NodeErrorBudget budget = new NodeErrorBudget(Duration.ofSeconds(3), "10.0.0.7:8545", clock::get);

    @Test
    void spentOnceARunOfErrorsLastsTheBudgetNamingTheNode() {
        assertThat(budget.failed("503")).isEmpty();
        advance(Duration.ofMillis(2_999));
        assertThat(budget.failed("503")).as("just within").isEmpty();
        assertThat(budget.spent()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(budget.failed("connection reset")).hasValue("node 10.0.0.7:8545 has failed every call for 3.0 s"
                + " (3 errors in a row), beyond oracles.node-error-budget 3s; last error: connection reset");
        assertThat(budget.spent()).isTrue();
        assertThat(budget.answered()).as("was spent").isTrue();
        assertThat(budget.spent()).isFalse();
        assertThat(budget.answered()).as("answered twice: nothing to report").isFalse();
    }

    @Test
    void aStepGoingThroughStartsTheNextRunAfresh() {
        budget.failed("503");
        advance(Duration.ofSeconds(2));
        budget.answered();
        budget.failed("503");
        advance(Duration.ofSeconds(2));
        assertThat(budget.failed("503")).as("2 s since this run began, 4 s since the first error").isEmpty();
    }

    @Test
    void aBudgetMustBePositive() {
        assertThatThrownBy(() -> new NodeErrorBudget(Duration.ZERO, "n", clock::get))
                .hasMessageContaining("node-error budget must be positive");
    }

    private void advance(Duration by) {
        clock.addAndGet(by.toNanos());
    }
}
