package io.driftguard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class TcpdMetricsTest {

    @Test
    void f1ByHand() {
        // X = {0, 11}; union {0, 10, 20}: 0 and 10 matched -> P = 2/2.
        // annotator A {0, 10}: 2/2; B {0, 20}: 1/2 -> R = 0.75; F1 = 1.5 / 1.75
        List<int[]> ann = List.of(new int[] {10}, new int[] {20});
        assertThat(TcpdMetrics.f1(ann, new int[] {11}, 5)).isCloseTo(1.5 / 1.75, within(1e-12));
    }

    @Test
    void coverByHand() {
        // prediction {[0,11), [11,30)}; A {[0,10), [10,30)}: (10 * 10/11 + 20 * 19/20) / 30;
        // B {[0,20), [20,30)}: (20 * 11/20 + 10 * 10/19) / 30
        List<int[]> ann = List.of(new int[] {10}, new int[] {20});
        double a = (10 * 10.0 / 11 + 20 * 19.0 / 20) / 30;
        double b = (20 * 11.0 / 20 + 10 * 10.0 / 19) / 30;
        assertThat(TcpdMetrics.cover(ann, new int[] {11}, 30))
                .isCloseTo((a + b) / 2, within(1e-12));
    }

    @Test
    void eachPredictionMatchesOneAnnotatedPointAtMost() {
        // two annotated points 2 apart, one prediction between: only one true positive
        List<int[]> ann = List.of(new int[] {10, 12});
        // X {0, 11}: P = 2/2; R = 2/3 -> F1 = 2 * (2/3) / (5/3) = 0.8
        assertThat(TcpdMetrics.f1(ann, new int[] {11}, 5)).isCloseTo(0.8, within(1e-12));
        // a prediction beyond the margin matches nothing: X {0, 16}, P = 1/2, R = 1/3
        assertThat(TcpdMetrics.f1(ann, new int[] {18}, 5)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void noChangeAgainstNoAnnotationIsPerfect() {
        List<int[]> ann = List.of(new int[0], new int[0]);
        assertThat(TcpdMetrics.f1(ann, new int[0], 5)).isEqualTo(1.0);
        assertThat(TcpdMetrics.cover(ann, new int[0], 50)).isEqualTo(1.0);
    }

    @Test
    void centraliaWithoutPredictions() {
        // annotators {3,12}, {}, {12}, {4,8,12}, {}: R = (1/3 + 1 + 1/2 + 1/4 + 1) / 5, P = 1
        List<int[]> ann =
                List.of(
                        new int[] {3, 12},
                        new int[0],
                        new int[] {12},
                        new int[] {4, 8, 12},
                        new int[0]);
        double r = (1.0 / 3 + 1 + 0.5 + 0.25 + 1) / 5;
        assertThat(TcpdMetrics.f1(ann, new int[0], 5)).isCloseTo(2 * r / (1 + r), within(1e-12));
    }

    @Test
    void cleaningKeepsDistinctIndicesFromOneToNMinusTwo() {
        assertThat(TcpdMetrics.clean(new int[] {0, 5, 3, 5, 8, 9, -1, 1}, 10))
                .containsExactly(1, 3, 5, 8);
        assertThat(TcpdMetrics.clean(new int[0], 10)).isEmpty();
        assertThat(TcpdMetrics.clean(new int[] {0, 1, 2}, 3)).containsExactly(1);
        // a prediction at n - 1 would otherwise count against cover as a one-record segment
        List<int[]> ann = List.of(new int[] {10});
        assertThat(TcpdMetrics.cover(ann, TcpdMetrics.clean(new int[] {10, 29}, 30), 30))
                .isEqualTo(1.0);
    }
}
