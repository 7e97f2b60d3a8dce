package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MedaTest {

    @Test
    void dynamicFactorFollowsTheFormula() {
        assertThat(Meda.dynamicFactor(1.0, new double[] {0.5, 0.5}, Meda.Aggregation.SUM))
                .isCloseTo(0.5, within(1e-15));
        assertThat(Meda.dynamicFactor(1.0, new double[] {0.5, 0.5}, Meda.Aggregation.MEAN))
                .isCloseTo(1.0 / 3, within(1e-15));
        assertThat(Meda.dynamicFactor(0.0, new double[] {0.0, 0.0}, Meda.Aggregation.SUM))
                .isEqualTo(0.5);
        assertThat(Meda.dynamicFactor(0.0, new double[0], Meda.Aggregation.MEAN)).isEqualTo(0.5);
        assertThat(Meda.dynamicFactor(2.0, new double[0], Meda.Aggregation.SUM)).isEqualTo(0.0);
        assertThat(Meda.dynamicFactor(0.0, new double[] {1.0}, Meda.Aggregation.SUM)).isEqualTo(1.0);
    }

    @Test
    void conditionalShiftRaisesMu() {
        Random r = new Random(9);
        int n = 400;
        double[][] xs = Naive.gaussian(n, 2, 0, 1, r);
        double[][] xt = Naive.gaussian(n, 2, 0, 1, r);
        int[] ys = new int[n];
        int[] yt = new int[n];
        for (int i = 0; i < n; i++) {
            // Same marginal, but the label rule flips between domains: pure conditional shift.
            ys[i] = xs[i][0] > 0 ? 1 : 0;
            yt[i] = xt[i][0] > 0 ? 0 : 1;
        }
        Meda.Result res = Meda.estimate(xs, ys, xt, yt, Meda.Aggregation.SUM, 3);
        assertThat(res.marginal()).isLessThan(0.3);
        assertThat(res.conditional()).containsOnlyKeys(0, 1);
        assertThat(res.conditional().values()).allSatisfy(v -> assertThat(v).isGreaterThan(1.5));
        assertThat(res.mu()).isGreaterThan(0.85);
    }
}
