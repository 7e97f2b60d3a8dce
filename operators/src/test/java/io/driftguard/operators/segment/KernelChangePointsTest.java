package io.driftguard.operators.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelChangePointsTest {

    /** Sine of period 20, then period 7, same amplitude: the values' distribution barely moves. */
    private static double[][] frequencyChange(int n, int change, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][1];
        for (int t = 0; t < n; t++) {
            double s = t < change
                    ? Math.sin(2 * Math.PI * t / 20)
                    : Math.sin(2 * Math.PI * (t - change) / 7);
            x[t][0] = s + 0.1 * r.nextGaussian();
        }
        return x;
    }

    @Test
    void aFrequencyChangeWithTheSameMarginalIsFoundWithinAFewRecords() {
        for (long seed = 1; seed <= 5; seed++) {
            int change = 1000 + (int) (seed * 7);
            double[][] x = frequencyChange(2000, change, seed);
            // both halves have the marginal of a sine: mean about 0, variance about 0.5
            assertThat(mean(x, 0, change)).isCloseTo(mean(x, change, 2000), within(0.05));
            SegmentationResult res = new KernelChangePoints().segment(x);
            assertThat(res.indices()).as("seed %s", seed).hasSize(1);
            assertThat(Math.abs(res.indices()[0] - change)).as("seed %s", seed).isLessThanOrEqualTo(3);
            SegmentationResult.Change c = res.changes().get(0);
            assertThat(c.mmd2()).isGreaterThan(0.1);
            assertThat(c.costReduction()).isGreaterThan(res.penalty());
            assertThat(c.score()).isGreaterThan(0.9);
            assertThat(c.before() + c.after()).isEqualTo(2000);
        }
    }

    @Test
    void whiteNoiseAndAStationaryAr1YieldNoChange() {
        for (long seed = 1; seed <= 5; seed++) {
            Random r = new Random(seed);
            double[][] white = new double[1500][1];
            double[][] ar = new double[1500][2];
            double p0 = 0;
            double p1 = 0;
            for (int t = 0; t < white.length; t++) {
                white[t][0] = r.nextGaussian();
                p0 = 0.5 * p0 + r.nextGaussian();
                p1 = 0.9 * p1 + r.nextGaussian();
                ar[t][0] = p0;
                ar[t][1] = p1;
            }
            assertThat(new KernelChangePoints().segment(white).changes()).as("white %s", seed).isEmpty();
            assertThat(new KernelChangePoints().segment(ar).changes()).as("AR(1) %s", seed).isEmpty();
        }
    }

    @Test
    void moreChangesThanTheOldCapOfFiveAreAllFound() {
        int[] periods = {20, 7, 20, 7, 20, 7, 20, 7};
        int len = 400;
        Random r = new Random(3);
        double[][] x = new double[periods.length * len][1];
        for (int t = 0; t < x.length; t++) {
            int seg = t / len;
            x[t][0] = Math.sin(2 * Math.PI * (t - seg * len) / periods[seg]) + 0.1 * r.nextGaussian();
        }
        SegmentationResult res = new KernelChangePoints().segment(x);
        int[] found = res.indices();
        assertThat(found).as(Arrays.toString(found)).hasSize(periods.length - 1);
        for (int k = 0; k < found.length; k++) {
            assertThat(Math.abs(found[k] - (k + 1) * len)).as(Arrays.toString(found)).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void theSegmentCostMatchesADirectDoubleLoop() {
        Random r = new Random(11);
        double[][] z = new double[60][3];
        for (double[] row : z) {
            for (int k = 0; k < row.length; k++) {
                row[k] = r.nextGaussian();
            }
        }
        double sigma = 1.3;
        double gamma = 1 / (2 * sigma * sigma);
        KernelChangePoints.Points pts = new KernelChangePoints.Points(z, sigma);
        for (int[] ab : new int[][] {{0, 60}, {5, 17}, {20, 21}, {30, 59}}) {
            int a = ab[0];
            int b = ab[1];
            double direct = 0;
            for (int i = a; i < b; i++) {
                for (int j = a; j < b; j++) {
                    double d2 = 0;
                    for (int k = 0; k < 3; k++) {
                        d2 += (z[i][k] - z[j][k]) * (z[i][k] - z[j][k]);
                    }
                    direct += Math.exp(-gamma * d2);
                }
            }
            double cost = (b - a) - direct / (b - a);
            assertThat(KernelChangePoints.segmentCost(z, sigma, a, b)).isCloseTo(cost, within(1e-10));
            assertThat((b - a) - pts.within(a, b) / (b - a)).isCloseTo(cost, within(1e-10));
        }
        // split statistics: reduction = C(a, b) - C(a, c) - C(c, b)
        double[] st = pts.split(5, 25, 50);
        double expected = KernelChangePoints.segmentCost(z, sigma, 5, 50)
                - KernelChangePoints.segmentCost(z, sigma, 5, 25)
                - KernelChangePoints.segmentCost(z, sigma, 25, 50);
        assertThat(st[0]).isCloseTo(expected, within(1e-10));
    }

    @Test
    void peltFindsTheOptimumOfAnExhaustiveDynamicProgram() {
        Random r = new Random(7);
        int n = 70;
        double[][] z = new double[n][2];
        for (int i = 0; i < n; i++) {
            double shift = i < 25 ? 0 : i < 45 ? 2 : -1;
            z[i][0] = shift + r.nextGaussian();
            z[i][1] = r.nextGaussian() * (i < 45 ? 1 : 3);
        }
        double sigma = 1.5;
        KernelChangePoints.Points pts = new KernelChangePoints.Points(z, sigma);
        for (double beta : new double[] {0.5, 2, 5, 50}) {
            for (int minSize : new int[] {2, 5}) {
                KernelChangePoints.Pelt pelt = KernelChangePoints.pelt(pts, beta, minSize);
                // exhaustive optimal partitioning with direct double-loop costs, no pruning
                double[] f = new double[n + 1];
                Arrays.fill(f, Double.POSITIVE_INFINITY);
                f[0] = -beta;
                for (int b = minSize; b <= n; b++) {
                    for (int a = 0; a <= b - minSize; a++) {
                        if (a != 0 && a < minSize) {
                            continue;
                        }
                        double v = f[a] + KernelChangePoints.segmentCost(z, sigma, a, b) + beta;
                        f[b] = Math.min(f[b], v);
                    }
                }
                assertThat(pelt.cost()).as("beta %s min %s", beta, minSize).isCloseTo(f[n], within(1e-8));
                // the starts reproduce the cost
                int[] s = pelt.starts();
                double total = beta * s.length;
                int prev = 0;
                for (int c : s) {
                    assertThat(c - prev).isGreaterThanOrEqualTo(minSize);
                    total += KernelChangePoints.segmentCost(z, sigma, prev, c);
                    prev = c;
                }
                total += KernelChangePoints.segmentCost(z, sigma, prev, n);
                assertThat(total).isCloseTo(f[n], within(1e-8));
            }
        }
    }

    @Test
    void aLevelShiftInAShortSeriesIsFoundAtTheShift() {
        // 300 independent values, a shift of 2 sd at 130: the shift makes the values' ACF decay
        // slowly, the differences show they are independent, so the windows stay one record long
        for (long seed = 1; seed <= 5; seed++) {
            Random r = new Random(seed);
            double[][] x = new double[300][1];
            for (int t = 0; t < x.length; t++) {
                x[t][0] = r.nextGaussian() + (t >= 130 ? 2 : 0);
            }
            SegmentationResult res = new KernelChangePoints().segment(x);
            assertThat(res.window()).as("seed %s", seed).isEqualTo(1);
            assertThat(res.indices()).as("seed %s", seed).hasSize(1);
            assertThat(Math.abs(res.indices()[0] - 130)).as("seed %s", seed).isLessThanOrEqualTo(5);
        }
    }

    @Test
    void aShortOrConstantSeriesHasNoChange() {
        assertThat(new KernelChangePoints().segment(new double[][] {{1}, {2}, {3}}).changes()).isEmpty();
        double[][] flat = new double[500][1];
        assertThat(new KernelChangePoints().segment(flat).changes()).isEmpty();
    }

    private static double mean(double[][] x, int from, int to) {
        double s = 0;
        for (int t = from; t < to; t++) {
            s += x[t][0];
        }
        return s / (to - from);
    }
}
