package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UnivariateTestsTest {

    @Test
    void matchBruteForceOnAGrid() {
        Random r = new Random(6);
        for (int trial = 0; trial < 20; trial++) {
            int m = 1 + r.nextInt(30);
            int n = 1 + r.nextInt(30);
            double[] x = new double[m];
            double[] y = new double[n];
            for (int i = 0; i < m; i++) {
                x[i] = r.nextInt(8); // ties on purpose
            }
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(10) * 0.9;
            }
            double ks = 0;
            double w = 0;
            double step = 1e-3;
            for (double t = -1; t < 10; t += step) {
                double fx = cdf(x, t);
                double fy = cdf(y, t);
                w += Math.abs(fx - fy) * step;
            }
            double[] all = new double[m + n];
            System.arraycopy(x, 0, all, 0, m);
            System.arraycopy(y, 0, all, m, n);
            for (double t : all) {
                ks = Math.max(ks, Math.abs(cdf(x, t) - cdf(y, t)));
            }
            assertThat(UnivariateTests.kolmogorovSmirnov(x, y)).isCloseTo(ks, within(1e-12));
            assertThat(UnivariateTests.wasserstein1(x, y)).isCloseTo(w, within(0.02));
        }
        assertThat(UnivariateTests.wasserstein1(new double[] {0}, new double[] {3})).isEqualTo(3.0);
    }

    private static double cdf(double[] v, double t) {
        int c = 0;
        for (double a : v) {
            if (a <= t) {
                c++;
            }
        }
        return (double) c / v.length;
    }
}
