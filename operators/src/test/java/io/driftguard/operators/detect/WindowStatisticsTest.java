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
}
