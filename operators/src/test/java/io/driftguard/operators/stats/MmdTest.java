package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MmdTest {

    @Test
    void unbiasedAndBiasedMatchBruteForce() {
        Random r = new Random(1);
        int[][] shapes = {{2, 2, 1}, {2, 3, 1}, {7, 5, 3}, {40, 33, 4}, {64, 80, 16}, {3, 90, 2}};
        for (int[] s : shapes) {
            double[][] x = Naive.gaussian(s[0], s[2], 0, 1, r);
            double[][] y = Naive.gaussian(s[1], s[2], 0.3, 1.2, r);
            for (double sigma : new double[] {0.3, 1.0, 4.0}) {
                assertThat(Mmd.unbiased(x, y, sigma))
                        .as("unbiased %s sigma %s", java.util.Arrays.toString(s), sigma)
                        .isCloseTo(Naive.mmd2Unbiased(x, y, sigma), within(1e-12));
                assertThat(Mmd.biased(x, y, sigma))
                        .isCloseTo(Naive.mmd2Biased(x, y, sigma), within(1e-12));
            }
        }
    }

    @Test
    void handlesTiesConstantColumnsAndFarOffsets() {
        double[][] x = {{1, 5, 1e6}, {1, 5, 1e6}, {2, 5, 1e6 + 1}, {1, 5, 1e6}};
        double[][] y = {{1, 5, 1e6}, {3, 5, 1e6 + 2}, {3, 5, 1e6 + 2}};
        for (double sigma : new double[] {0.5, 1, 3}) {
            assertThat(Mmd.unbiased(x, y, sigma))
                    .isCloseTo(Naive.mmd2Unbiased(x, y, sigma), within(1e-10));
        }
        double[][] same = {{4, 4}, {4, 4}, {4, 4}};
        assertThat(Mmd.unbiased(same, same, 1.0)).isCloseTo(0.0, within(1e-15));
    }

    @Test
    void veryDifferentScalesStayAccurate() {
        Random r = new Random(7);
        double[][] x = new double[30][2];
        double[][] y = new double[25][2];
        for (double[] row : x) {
            row[0] = 1e-6 * r.nextGaussian();
            row[1] = 1e6 * r.nextGaussian();
        }
        for (double[] row : y) {
            row[0] = 1e-6 * r.nextGaussian();
            row[1] = 1e6 * (0.5 + r.nextGaussian());
        }
        double sigma = MedianHeuristic.sigma(x, y, 1);
        double expected = Naive.mmd2Unbiased(x, y, sigma);
        assertThat(Mmd.unbiased(x, y, sigma)).isCloseTo(expected, within(1e-10));
        // A tiny bandwidth drives every off-diagonal kernel value to 0.
        assertThat(Mmd.unbiased(x, y, 1e-9)).isCloseTo(0.0, within(1e-15));
    }

    /**
     * Closed form: for X ~ N(mu1, s^2 I), Y ~ N(mu2, s^2 I) in d dimensions and the Gaussian kernel
     * of bandwidth sigma, x - x' ~ N(0, 2 s^2 I) and x - y ~ N(mu1 - mu2, 2 s^2 I), and for u ~
     * N(delta, t^2 I), E exp(-||u||^2 / (2 sigma^2)) = (sigma^2 / (sigma^2 + t^2))^(d/2) exp(-||delta||^2
     * / (2 (sigma^2 + t^2))). Hence MMD^2 = 2 c (1 - exp(-||mu1 - mu2||^2 / (2 (sigma^2 + 2 s^2))))
     * with c = (sigma^2 / (sigma^2 + 2 s^2))^(d/2).
     */
    @Test
    void unbiasedEstimatorMeanMatchesClosedForm() {
        int d = 3;
        double s = 1.0;
        double shift = 0.6;
        double sigma = 1.5;
        double t2 = 2 * s * s;
        double c = Math.pow(sigma * sigma / (sigma * sigma + t2), d / 2.0);
        double population = 2 * c * (1 - Math.exp(-shift * shift / (2 * (sigma * sigma + t2))));
        int seeds = 400;
        double sum = 0;
        double sumSq = 0;
        for (int seed = 0; seed < seeds; seed++) {
            Random r = new Random(1000 + seed);
            double[][] x = Naive.gaussian(60, d, 0, s, r);
            double[][] y = Naive.gaussian(50, d, 0, s, r);
            for (double[] row : y) {
                row[0] += shift;
            }
            double v = Mmd.unbiased(x, y, sigma);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / seeds;
        double se = Math.sqrt((sumSq / seeds - mean * mean) / seeds);
        assertThat(mean).isCloseTo(population, within(4 * se));
        // The V-statistic is biased upwards by about 2 (1 - c) / n.
        Random r = new Random(5);
        double[][] x = Naive.gaussian(60, d, 0, s, r);
        double[][] y = Naive.gaussian(50, d, 0, s, r);
        assertThat(Mmd.biased(x, y, sigma)).isGreaterThan(Mmd.unbiased(x, y, sigma));
    }

    @Test
    void rejectsBadInput() {
        double[][] one = {{1.0}};
        double[][] two = {{1.0}, {2.0}};
        assertThatThrownBy(() -> Mmd.unbiased(one, two, 1)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Mmd.unbiased(two, new double[][] {{1, 2}, {3, 4}}, 1))
                .hasMessageContaining("features");
        assertThatThrownBy(() -> Mmd.unbiased(two, new double[][] {{1}, {Double.NaN}}, 1))
                .hasMessageContaining("not finite");
        assertThatThrownBy(() -> Mmd.unbiased(two, two, 0)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> Mmd.unbiased(two, new double[][] {{1}, {2, 3}}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fastExponentialIsAccurate() {
        double[] a = new double[2001];
        for (int i = 0; i < a.length; i++) {
            a[i] = i * 0.05; // squared distances 0 .. 100, gamma 0.5 -> exp(0 .. -50)
        }
        double[] b = a.clone();
        KernelMath.gaussian(b, 0, b.length, 0.5);
        for (int i = 0; i < a.length; i++) {
            double exact = Math.exp(-0.5 * a[i]);
            if (-0.5 * a[i] >= KernelMath.EXP_FLOOR) {
                assertThat(b[i]).isCloseTo(exact, within(2e-13 * exact));
            } else {
                assertThat(b[i]).isLessThan(1e-19);
            }
        }
    }
}
