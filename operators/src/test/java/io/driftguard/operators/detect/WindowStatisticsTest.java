package io.driftguard.operators.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WindowStatisticsTest {

    private static double[][] gaussian(int n, int d, double shift, SplittableRandom r) {
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int f = 0; f < d; f++) {
                row[f] = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble())
                        + (f < 2 ? shift : 0.0);
            }
        }
        return out;
    }

    /** Unbiased MMD^2 by a double loop over the given kernel rows (brute force). */
    private static double mmd2(double[][] x, double[][] y, double sigma) {
        double g = 1.0 / (2 * sigma * sigma);
        double xx = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                if (i != j) {
                    xx += k(x[i], x[j], g);
                }
            }
        }
        double yy = 0;
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                if (i != j) {
                    yy += k(y[i], y[j], g);
                }
            }
        }
        double xy = 0;
        for (double[] a : x) {
            for (double[] b : y) {
                xy += k(a, b, g);
            }
        }
        int m = x.length;
        int n = y.length;
        return xx / ((double) m * (m - 1)) + yy / ((double) n * (n - 1)) - 2 * xy / ((double) m * n);
    }

    private static double k(double[] a, double[] b, double g) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            double e = a[f] - b[f];
            s += e * e;
        }
        return Math.exp(-g * s);
    }

    @Test
    void aSmallReferenceGivesTheExactUnbiasedMmd() {
        SplittableRandom r = new SplittableRandom(1);
        double[][] ref = gaussian(300, 4, 0, r);
        double[][] cur = gaussian(200, 4, 0.4, r);
        WindowStatistics ws = new WindowStatistics(List.<double[][]>of(ref));
        double exact = mmd2(ws.standardisedReference(), ws.standardise(cur), ws.sigma());
        assertThat(ws.statistics(cur)[1]).isCloseTo(exact, within(1e-9));
    }

    @Test
    void aPooledReferenceIsHerdedCloserToTheWholeThanARandomSubsampleOfTheSameSize() {
        double herdedError = 0;
        double subsampleError = 0;
        for (int seed = 0; seed < 4; seed++) {
            SplittableRandom r = new SplittableRandom(10 + seed);
            List<double[][]> windows = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                windows.add(gaussian(256, 8, 0, r));
            }
            double[][] cur = gaussian(256, 8, 0.3, r);
            WindowStatistics ws = new WindowStatistics(windows);
            double[][] z = ws.standardisedReference();
            double[][] zc = ws.standardise(cur);
            double exact = mmd2(z, zc, ws.sigma());
            herdedError += Math.abs(ws.statistics(cur)[1] - exact);
            // the same estimator with the cross term over 256 random reference rows
            double[][] sub = new double[WindowStatistics.HERDED_ROWS][];
            for (int i = 0; i < sub.length; i++) {
                sub[i] = z[r.nextInt(z.length)];
            }
            double g = 1.0 / (2 * ws.sigma() * ws.sigma());
            double crossFull = 0;
            double crossSub = 0;
            for (double[] a : zc) {
                for (double[] b : z) {
                    crossFull += k(a, b, g);
                }
                for (double[] b : sub) {
                    crossSub += k(a, b, g);
                }
            }
            subsampleError += Math.abs(2 * crossFull / ((double) zc.length * z.length)
                    - 2 * crossSub / ((double) zc.length * sub.length));
        }
        assertThat(herdedError).isLessThan(subsampleError / 3);
    }

    /** Marks {@code share} of the rows (every row whose index mod 100 is below share * 100) missing in feature f. */
    private static double[][] withMissing(double[][] rows, int f, double share) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            if (i % 100 < Math.round(share * 100)) {
                out[i][f] = Double.NaN;
            }
        }
        return out;
    }

    @Test
    void aChangeOfAFeaturesMissingRateShowsInItsHistogramChannel() {
        SplittableRandom r = new SplittableRandom(21);
        List<double[][]> reference = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            reference.add(gaussian(256, 3, 0.0, r));
        }
        WindowStatistics ws = new WindowStatistics(reference);
        int h0 = WindowStatistics.MULTIVARIATE_CHANNELS;
        double nullMax = 0;
        double changedMin = Double.POSITIVE_INFINITY;
        for (int t = 0; t < 20; t++) {
            double[][] window = gaussian(300, 3, 0.0, r);
            double[] nul = ws.statistics(window);
            double[] changed = ws.statistics(withMissing(window, 0, 0.3));
            nullMax = Math.max(nullMax, nul[h0]);
            changedMin = Math.min(changedMin, changed[h0]);
            // the missing bin alone adds (0.3 - 0)^2 K(0), K(0) = 2
            assertThat(changed[h0]).isGreaterThan(0.18);
            // the other features' histogram and scale channels are untouched
            assertThat(changed[h0 + 1]).isEqualTo(nul[h0 + 1]);
            assertThat(changed[h0 + 2]).isEqualTo(nul[h0 + 2]);
            assertThat(changed[h0 + 4]).isEqualTo(nul[h0 + 4]);
            for (double c : changed) {
                assertThat(c).isFinite();
            }
        }
        assertThat(nullMax).isLessThan(0.05);
        assertThat(changedMin).isGreaterThan(5 * nullMax);
    }

    @Test
    void theReferenceUsesPresentValuesAndImputesItsMedian() {
        SplittableRandom r = new SplittableRandom(22);
        double[][] ref = withMissing(gaussian(400, 2, 0.0, r), 1, 0.25);
        for (double[] row : ref) {
            row[0] += 10; // median about 10
        }
        WindowStatistics ws = new WindowStatistics(List.<double[][]>of(ref));
        double[] medians = WindowStatistics.presentMedians(ref);
        assertThat(ws.center(0)).isEqualTo(medians[0]).isCloseTo(10.0, within(0.2));
        assertThat(ws.center(1)).isEqualTo(medians[1]).isCloseTo(0.0, within(0.2));
        double[][] imputed = ws.imputed(ref);
        assertThat(imputed).isNotSameAs(ref);
        assertThat(imputed[0][1]).isEqualTo(ws.center(1)); // row 0 is missing feature 1
        assertThat(imputed[99]).isSameAs(ref[99]); // a complete row is shared
        assertThat(WindowStatistics.missingRates(ref)).containsExactly(0.0, 0.25);
        double[][] complete = gaussian(10, 2, 0.0, r);
        assertThat(ws.imputed(complete)).isSameAs(complete);
        for (double[] z : ws.standardise(ref)) {
            assertThat(z[1]).isFinite();
        }
        for (double c : ws.statistics(withMissing(gaussian(200, 2, 0.0, r), 0, 0.5))) {
            assertThat(c).isFinite();
        }
    }

    @Test
    void quantileBySelectionEqualsTheSortedArraysBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 500; trial++) {
            int n = 1 + r.nextInt(300);
            double[] a = new double[n + 5];
            for (int i = 0; i < n; i++) {
                // ties, signed zeros and spread values alike
                a[i] = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(5) - 2.0;
                    case 1 -> r.nextBoolean() ? 0.0 : -0.0;
                    default -> r.nextDouble() * 100 - 50;
                };
            }
            double[] sorted = java.util.Arrays.copyOf(a, n);
            java.util.Arrays.sort(sorted);
            for (double q : new double[] {0.25, 0.5, 0.75, 0.0, 1.0}) {
                double expected = io.driftguard.operators.stats.UnivariateTests.quantileOfSorted(sorted, q);
                double got = WindowStatistics.quantile(a, n, q);
                assertThat(Double.doubleToRawLongBits(got)).as("n=%d q=%s", n, q)
                        .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
    }
}
