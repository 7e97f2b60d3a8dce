package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowScoreTest {

    @Test
    void scoresByHand() {
        WindowScore s = new WindowScore(3);
        // changes at 10 (feature 1) and 50 (feature 2); alarms: 11 (right feature), 12 (repeat),
        // 30 (false), 54 (too late: 4 windows)
        s.add(
                100,
                new int[] {10, 50},
                new int[] {1, 2},
                new int[] {11, 12, 30, 54},
                new int[] {1, 0, 3, 2});
        assertThat(s.detected()).isEqualTo(1);
        assertThat(s.falseAlarms()).isEqualTo(3);
        assertThat(s.falseAlarmsPer1000()).isCloseTo(30.0, within(1e-12));
        assertThat(s.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(s.precision()).isCloseTo(0.25, within(1e-12));
        assertThat(s.f1()).isCloseTo(2 * 0.5 * 0.25 / 0.75, within(1e-12));
        assertThat(s.medianDelay()).isEqualTo(1.0);
        assertThat(s.attribution()).isEqualTo(1.0);
    }

    @Test
    void nullStreamsHaveNoF1() {
        WindowScore s = new WindowScore();
        s.add(1000, new int[0], new int[0], new int[] {5}, new int[] {0});
        assertThat(s.f1()).isNaN();
        assertThat(s.falseAlarmsPer1000()).isEqualTo(1.0);
        assertThat(s.medianDelay()).isNaN();
    }
}
