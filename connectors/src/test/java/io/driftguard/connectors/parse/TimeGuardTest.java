package io.driftguard.connectors.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeGuardTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long DAY = 86_400_000L;

    @Test
    void theFirstTimeIsAdmittedAndBecomesTheReference() {
        TimeGuard g = new TimeGuard();
        assertThat(g.hasReference()).isFalse();
        assertThat(g.admit("a", T0)).isNull();
        assertThat(g.hasReference()).isTrue();
        assertThat(g.admit("a", T0 + DAY)).as("exactly the lead").isNull();
        assertThat(g.admit("a", T0 + 3 * DAY)).contains("ahead of the key's newest accepted time " + (T0 + DAY));
    }

    @Test
    void oneAbsurdTimeAmongNormalOnesIsRejectedAndLeavesTheReference() {
        TimeGuard g = new TimeGuard();
        for (int i = 0; i < 100; i++) {
            if (i == 50) {
                assertThat(g.admit("a", 99_999_999_999_999L))
                        .isEqualTo("time 99999999999999 (5138-11-16T09:46:39.999Z) is more than 1d ahead of"
                                + " the key's newest accepted time 1700000049000 (2023-11-14T22:14:09Z)");
            }
            assertThat(g.admit("a", T0 + i * 1000L)).as("row %d", i).isNull();
        }
    }

    @Test
    void timesBehindTheReferenceAreAlwaysAdmitted() {
        TimeGuard g = new TimeGuard();
        g.admit("a", T0);
        assertThat(g.admit("a", T0 - 365 * DAY)).isNull();
        assertThat(g.admit("a", 0)).isNull();
        assertThat(g.admit("a", T0 + DAY)).as("the reference stays the newest").isNull();
    }

    @Test
    void aKeysFirstTimeIsComparedWithTheNewestOfAnyKey() {
        TimeGuard g = new TimeGuard();
        g.admit("a", T0);
        assertThat(g.admit("b", T0 + 2 * DAY)).contains("ahead of the newest accepted time " + T0);
        assertThat(g.admit("c", T0 - DAY)).isNull();
        assertThat(g.admit("b", T0 + 1000)).as("the rejection gave b no reference").isNull();
    }

    @Test
    void aJumpConfirmedByTheKeysNextRecordIsAdmitted() {
        TimeGuard g = new TimeGuard();
        g.admit("a", T0);
        g.admit("b", T0);
        long back = T0 + 10 * DAY;
        assertThat(g.admit("a", back)).isNotNull();
        // another key between the two does not break the confirmation
        assertThat(g.admit("b", T0 + 1)).isNull();
        assertThat(g.admit("a", back + 60_000)).isNull();
        assertThat(g.admit("a", back + 120_000)).isNull();
    }

    @Test
    void anAdmittedTimeBetweenTwoAbsurdOnesCancelsTheConfirmation() {
        TimeGuard g = new TimeGuard();
        g.admit("a", T0);
        assertThat(g.admit("a", 99_999_999_999_999L)).isNotNull();
        assertThat(g.admit("a", T0 + 1)).isNull();
        assertThat(g.admit("a", 99_999_999_999_999L)).isNotNull();
        // two far-apart absurd times do not confirm each other either
        assertThat(g.admit("a", 200_000_000_000_000L)).isNotNull();
    }

    @Test
    void extremeValuesNeverOverflowTheComparison() {
        TimeGuard g = new TimeGuard(DAY, 16);
        g.admit("a", Long.MIN_VALUE + 1);
        assertThat(g.admit("a", Long.MAX_VALUE)).isNotNull();
        assertThat(g.admit("a", Long.MIN_VALUE + 2)).isNull();
        TimeGuard unlimited = new TimeGuard(Long.MAX_VALUE, 16);
        unlimited.admit("a", 0);
        assertThat(unlimited.admit("a", Long.MAX_VALUE)).isNull();
    }

    @Test
    void forgottenKeysFallBackToTheNewestOfAnyKey() {
        TimeGuard g = new TimeGuard(DAY, 2);
        g.admit("a", T0);
        g.admit("b", T0 + 5 * DAY - 1000); // rejected: more than a day ahead of a
        g.admit("c", T0 + 500); // a third key: a, the least recently seen, is forgotten
        g.admit("d", T0 + 600);
        assertThat(g.admit("a", T0 + DAY + 500)).as("within a day of the newest, T0 + 600").isNull();
    }

    @Test
    void negativeLeadIsRefused() {
        assertThatThrownBy(() -> new TimeGuard(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TimeGuard(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leadsAreWrittenInTheirLargestWholeUnit() {
        assertThat(TimeGuard.duration(86_400_000L)).isEqualTo("1d");
        assertThat(TimeGuard.duration(7_200_000L)).isEqualTo("2h");
        assertThat(TimeGuard.duration(90_000L)).isEqualTo("90s");
        assertThat(TimeGuard.duration(1_500L)).isEqualTo("1500ms");
        assertThat(TimeGuard.duration(0L)).isEqualTo("0ms");
    }
}
