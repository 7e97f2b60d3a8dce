package io.driftguard.operators.detect.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NullHistoryTest {

    @Test
    void conformalRankInsideTheHistory() {
        NullHistory h = new NullHistory(100, 0.25);
        for (int i = 1; i <= 40; i++) {
            h.add(i);
        }
        // values >= 20.5: 21..40 = 20 of 40 -> (1 + 20) / 41
        assertThat(h.pValue(20.5)).isCloseTo(21.0 / 41.0, within(1e-12));
        assertThat(h.pValue(-5)).isEqualTo(1.0);
        assertThat(new NullHistory(5, 0.25).pValue(3.0)).isEqualTo(1.0);
    }

    @Test
    void tailExtrapolatesBeyondTheLargestValueAndDecreases() {
        NullHistory h = new NullHistory(1000, 0.25);
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            h.add(-Math.log(rnd.nextDouble()));
        }
        double p10 = h.pValue(10);
        double p20 = h.pValue(20);
        assertThat(p10).isGreaterThan(0).isLessThan(1.0 / 401);
        assertThat(p20).isGreaterThan(0).isLessThan(p10);
        // Exp(1): P(X > 10) = 4.5e-5; the inflated fit stays on the conservative side
        assertThat(p10).isGreaterThan(4.5e-5 / 3);
    }

    @Test
    void ringKeepsTheNewestValues() {
        NullHistory h = new NullHistory(3, 0.25);
        for (int i = 0; i < 5; i++) {
            h.add(i);
        }
        assertThat(h.valuesOldestFirst()).containsExactly(2, 3, 4);
        assertThatThrownBy(() -> h.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSortedCopyKeptInStepAgreesWithABruteForceRankAndMad() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        NullHistory h = new NullHistory(57, 0.25);
        java.util.ArrayDeque<Double> all = new java.util.ArrayDeque<>();
        for (int i = 0; i < 400; i++) {
            // ties on purpose: values on a coarse grid
            double v = Math.floor(r.nextDouble() * 20) / 4;
            h.add(v);
            all.addLast(v);
            if (all.size() > 57) {
                all.removeFirst();
            }
            double s = Math.floor(r.nextDouble() * 24) / 4;
            long atLeast = all.stream().filter(x -> x >= s).count();
            double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] held = h.valuesOldestFirst();
            java.util.Arrays.sort(held);
            assertThat(held).containsExactly(sorted);
            int n = sorted.length;
            int k = Math.max(10, (int) Math.ceil(0.25 * n));
            if (k >= n || s <= sorted[n - k - 1]) {
                assertThat(h.pValue(s)).isEqualTo((1.0 + atLeast) / (all.size() + 1.0));
            }
            double median = io.driftguard.operators.stats.UnivariateTests.quantileOfSorted(sorted, 0.5);
            double[] dev = java.util.Arrays.stream(sorted).map(x -> Math.abs(x - median)).sorted().toArray();
            double mad = 1.4826 * io.driftguard.operators.stats.UnivariateTests.quantileOfSorted(dev, 0.5);
            if (mad > 0) {
                assertThat(h.robustScore(s)).isCloseTo((s - median) / mad, org.assertj.core.api.Assertions.within(1e-12));
            }
        }
    }
}
