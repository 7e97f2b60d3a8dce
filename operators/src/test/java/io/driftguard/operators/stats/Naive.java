package io.driftguard.operators.stats;

import java.util.Arrays;
import java.util.Random;

/** Brute-force reference implementations and seeded data for the statistics tests. */
final class Naive {
    private Naive() {}

    static double kernel(double[] a, double[] b, double sigma) {
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            s += (a[f] - b[f]) * (a[f] - b[f]);
        }
        return Math.exp(-s / (2 * sigma * sigma));
    }

    static double mmd2Unbiased(double[][] x, double[][] y, double sigma) {
        int m = x.length;
        int n = y.length;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    xx += kernel(x[i], x[j], sigma);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    yy += kernel(y[i], y[j], sigma);
                }
            }
        }
        for (double[] a : x) {
            for (double[] b : y) {
                xy += kernel(a, b, sigma);
            }
        }
        return xx / (m * (m - 1.0)) + yy / (n * (n - 1.0)) - 2 * xy / ((double) m * n);
    }

    static double mmd2Biased(double[][] x, double[][] y, double sigma) {
        int m = x.length;
        int n = y.length;
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (double[] a : x) {
            for (double[] b : x) {
                xx += kernel(a, b, sigma);
            }
        }
        for (double[] a : y) {
            for (double[] b : y) {
                yy += kernel(a, b, sigma);
            }
        }
        for (double[] a : x) {
            for (double[] b : y) {
                xy += kernel(a, b, sigma);
            }
        }
        return xx / ((double) m * m) + yy / ((double) n * n) - 2 * xy / ((double) m * n);
    }

    static double medianDistance(double[][] z) {
        int size = z.length;
        double[] d = new double[size * (size - 1) / 2];
        int t = 0;
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                double s = 0;
                for (int f = 0; f < z[i].length; f++) {
                    s += (z[i][f] - z[j][f]) * (z[i][f] - z[j][f]);
                }
                d[t++] = Math.sqrt(s);
            }
        }
        Arrays.sort(d);
        double med = d.length % 2 == 1 ? d[d.length / 2] : 0.5 * (d[d.length / 2 - 1] + d[d.length / 2]);
        return med == 0 ? 1.0 : med;
    }

    static double[][] concat(double[][] x, double[][] y) {
        double[][] z = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, z, x.length, y.length);
        return z;
    }

    static double[][] gaussian(int n, int d, double mean, double sd, Random random) {
        double[][] out = new double[n][d];
        for (double[] row : out) {
            for (int f = 0; f < d; f++) {
                row[f] = mean + sd * random.nextGaussian();
            }
        }
        return out;
    }

    /** Rows of N(0, I) with correlation rho between features 0 and 1. */
    static double[][] correlated(int n, int d, double rho, Random random) {
        double[][] out = gaussian(n, d, 0, 1, random);
        double c = Math.sqrt(1 - rho * rho);
        for (double[] row : out) {
            row[1] = rho * row[0] + c * row[1];
        }
        return out;
    }
}
