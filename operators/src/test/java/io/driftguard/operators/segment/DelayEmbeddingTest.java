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
    void aLevelShiftDoesNotLengthenTheWindowOfIndependentValues() {
        for (long seed = 1; seed <= 5; seed++) {
            Random r = new Random(seed);
            double[][] x = new double[400][1];
            for (int t = 0; t < x.length; t++) {
                x[t][0] = r.nextGaussian() + (t >= 200 ? 3 : 0);
            }
            // the shift alone keeps the ACF above 1/e for many lags
            double[] acf = DelayEmbedding.acf(DelayEmbedding.standardise(x), 20);
            assertThat(acf[20]).as("seed %s", seed).isGreaterThan(1 / Math.E);
            assertThat(DelayEmbedding.differenceAr1(x)).as("seed %s", seed).isBetween(-0.3, 0.3);
            assertThat(DelayEmbedding.estimateWindow(x)).as("seed %s", seed).isEqualTo(1);
        }
    }

    @Test
    void theDifferencesGiveTheAr1CoefficientDespiteLevelShifts() {
        Random r = new Random(6);
        double[][] ar = new double[4000][1];
        double[][] walk = new double[4000][1];
        double p = 0;
        double w = 0;
        for (int t = 0; t < ar.length; t++) {
            p = 0.9 * p + r.nextGaussian();
            w += r.nextGaussian();
            // shifts of about 3.5 marginal standard deviations
            ar[t][0] = p + (t >= 1000 && t < 3000 ? 8 : 0);
            walk[t][0] = w;
        }
        assertThat(DelayEmbedding.differenceAr1(ar)).isBetween(0.85, 0.95);
        // 0.9^k < 1/e from k = 10 on
        assertThat(DelayEmbedding.estimateWindow(ar)).isBetween(6, 14);
        assertThat(DelayEmbedding.differenceAr1(walk)).isBetween(0.9, 1.1);
        // too few distinct steps for a spread: no estimate, the ACF decides
        assertThat(DelayEmbedding.differenceAr1(new double[][] {{1}, {1}, {1}, {2}})).isNaN();
    }

    @Test
    void aPeriodIsKeptWhenItSurvivesTheDetrending() {
        Random r = new Random(8);
        double[][] seasonal = new double[600][1];
        double[][] square = new double[2000][1];
        for (int t = 0; t < seasonal.length; t++) {
            // period 25 with a level shift
            seasonal[t][0] = Math.sin(2 * Math.PI * t / 25) + (t >= 300 ? 1 : 0)
                    + 0.3 * r.nextGaussian();
        }
        for (int t = 0; t < square.length; t++) {
            // on / off every 25 records: its differences are sparse steps, its period 50
            square[t][0] = ((t / 25) % 2 == 0 ? 0 : 3) + r.nextGaussian();
        }
        assertThat(DelayEmbedding.estimateWindow(seasonal)).isBetween(24, 26);
        assertThat(DelayEmbedding.estimateWindow(square)).isBetween(48, 52);
        // white noise with one level shift: what the ACF shows at any lag is the shift's, and
        // taking out the moving mean leaves no period
        for (long seed = 1; seed <= 5; seed++) {
            Random q = new Random(seed);
            double[][] x = new double[400][1];
            for (int t = 0; t < x.length; t++) {
                x[t][0] = q.nextGaussian() + (t >= 200 ? 3 : 0);
            }
            for (int period : new int[] {10, 15, 20}) {
                assertThat(DelayEmbedding.detrendedAcfAtPeriod(x, period))
                        .as("seed %s period %s", seed, period)
                        .isLessThan(DelayEmbedding.PERIOD_CONFIRM_SE / Math.sqrt(x.length));
            }
        }
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
