package io.pessimism.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BackfillProgressTest {

    @Test
    void countsBlocksFromTheStartHeightAndMeasuresTheRateFromTheFirstHeightSeen() {
        BackfillProgress progress = new BackfillProgress(100);

        var starting = progress.at(0, OptionalLong.empty(), 1099L);
        assertThat(starting.done()).isZero();
        assertThat(starting.total()).isEqualTo(1000);
        assertThat(starting.rate()).isNull();

        var first = progress.at(5_000, OptionalLong.of(149), 1099L);
        assertThat(first.done()).isEqualTo(50);
        assertThat(first.rate()).as("one height is no rate: the start-up time is not counted").isNull();

        var later = progress.at(7_000, OptionalLong.of(349), 1099L);
        assertThat(later.done()).isEqualTo(250);
        assertThat(later.rate()).isEqualTo(100.0);
        assertThat(later.eta()).isEqualTo(8);
        assertThat(later.fraction()).isEqualTo(0.25);
    }

    @Test
    void neverClaimsMoreThanTheTotalNorLessThanNothing() {
        BackfillProgress progress = new BackfillProgress(10);
        assertThat(progress.at(0, OptionalLong.of(5), 20L).done()).as("a retraction walked below the start").isZero();
        assertThat(progress.at(1000, OptionalLong.of(25), 20L).done()).isEqualTo(11);
        assertThat(progress.at(1000, OptionalLong.of(25), 20L).fraction()).isEqualTo(1.0);
        assertThat(progress.at(1000, OptionalLong.of(25), null)).as("no head known: no figures").isNull();
    }
}
