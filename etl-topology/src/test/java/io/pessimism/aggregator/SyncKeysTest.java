package io.pessimism.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stores' keys order as the policy needs: fixed-width decimals, as {@code %019d} writes them. */
class SyncKeysTest {

    @Test
    void fixedWidthNumbersAreWhatFormatWrites() {
        for (long value : List.of(0L, 7L, 1_700_000_012L, 999_999_999_999_999_999L, Long.MAX_VALUE)) {
            assertThat(SyncKeys.fixed(value)).isEqualTo(String.format("%019d", value));
        }
    }
}
