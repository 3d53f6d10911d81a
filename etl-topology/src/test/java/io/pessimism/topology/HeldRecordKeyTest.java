package io.pessimism.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pessimism.topology.RangeEnd.HeldRecord;
import org.junit.jupiter.api.Test;

/**
 * The range end's held-record keys: built without a Formatter, they must stay what changelogs of
 * running backtests hold ({@code %019d/%019d/%019d/<key>}) and sort by height.
 */
class HeldRecordKeyTest {

    @Test
    void keysAreTheFormattedOnesAndReadBack() {
        for (long[] parts : new long[][] {{0, 0, 0}, {7, 12, 1_700_000_000_123L}, {Long.MAX_VALUE, 1, Long.MAX_VALUE}}) {
            String key = HeldRecord.key(parts[0], parts[1], parts[2], "0xabc");

            assertThat(key).isEqualTo(String.format("%019d/%019d/%019d/", parts[0], parts[1], parts[2]) + "0xabc");
            assertThat(HeldRecord.sequence(key)).isEqualTo(parts[1]);
            assertThat(HeldRecord.timestamp(key)).isEqualTo(parts[2]);
            assertThat(HeldRecord.recordKey(key)).isEqualTo("0xabc");
        }
        assertThat(HeldRecord.key(3, 4, 5, null)).isEqualTo(String.format("%019d/%019d/%019d/", 3, 4, 5));
    }

    @Test
    void aHeightsKeysLieBetweenItsFirstAndLastAndOtherHeightsOutside() {
        String key = HeldRecord.key(10, 99, 5, "k");

        assertThat(key).isGreaterThan(HeldRecord.first(10)).isLessThan(HeldRecord.last(10));
        assertThat(HeldRecord.last(9)).isLessThan(HeldRecord.first(10));
        assertThat(HeldRecord.key(9, 100, 5, "k")).isLessThan(HeldRecord.first(10));
        assertThat(HeldRecord.key(11, 0, 0, "")).isGreaterThan(HeldRecord.last(10));
    }

    @Test
    void aNegativePartIsRefusedNamingIt() {
        assertThatThrownBy(() -> HeldRecord.key(10, 1, -1, "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }
}
