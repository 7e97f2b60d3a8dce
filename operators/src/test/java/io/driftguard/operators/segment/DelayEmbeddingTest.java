package io.driftguard.operators.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DelayEmbeddingTest {

    @Test
    void theWindowOfAPeriodicSeriesIsItsPeriod() {
        Random r = new Random(2);
        for (int period : new int[] {7, 25, 60}) {
            double[][] x = new double[3000][1];
            for (int t = 0; t < x.length; t++) {
                x[t][0] = Math.sin(2 * Math.PI * t / period) + 0.5 * Math.sin(4 * Math.PI * t / period)
                        + 0.2 * r.nextGaussian();
            }
            assertThat(DelayEmbedding.estimateWindow(x)).isBetween(period - 1, period + 1);
        }
    }

    @Test
    void withoutPeriodTheWindowIsTheDecorrelationTime() {
        Random r = new Random(4);
        double[][] white = new double[2000][1];
        double[][] ar = new double[2000][1];
        double p = 0;
        for (int t = 0; t < white.length; t++) {
            white[t][0] = r.nextGaussian();
            p = 0.9 * p + r.nextGaussian();
            ar[t][0] = p;
        }
        assertThat(DelayEmbedding.estimateWindow(white)).isEqualTo(1);
        // 0.9^k < 1/e from k = 10 on
        assertThat(DelayEmbedding.estimateWindow(ar)).isBetween(6, 14);
        // bounded by n / 16
        assertThat(DelayEmbedding.estimateWindow(new double[40][1])).isBetween(1, 2);
    }

    @Test
    void pointsAreStandardisedWindowsNewestFirst() {
        double[][] x = {{1, 10}, {2, 10}, {3, 10}, {4, 10}, {5, 10}};
        double[][] z = DelayEmbedding.standardise(x);
        assertThat(z[2][0]).isCloseTo(0, within(1e-12));
        assertThat(z[4][0]).isCloseTo(2 / Math.sqrt(2), within(1e-12));
        // a constant feature is centred, scale 1
        assertThat(z[0][1]).isEqualTo(0);
        double[][] e = DelayEmbedding.embed(z, 3, 1, 1);
        assertThat(e).hasNumberOfRows(3);
        assertThat(e[0]).containsExactly(z[2][0], z[1][0], z[0][0], 0, 0, 0);
        double[][] strided = DelayEmbedding.embed(z, 3, 2, 2);
        assertThat(strided).hasNumberOfRows(2);
        assertThat(strided[1]).containsExactly(z[4][0], z[2][0], 0, 0);
        assertThat(DelayEmbedding.lagStep(64)).isEqualTo(1);
        assertThat(DelayEmbedding.lagStep(65)).isEqualTo(2);
    }
}
