package io.driftguard.operators.stats;

/**
 * Gaussian-kernel maximum mean discrepancy between two samples (Gretton et al. 2012, JMLR 13).
 *
 * <p>Kernel k(x, y) = exp(-||x - y||^2 / (2 sigma^2)). With |X| = m, |Y| = n:
 *
 * <pre>
 * MMD2_u = 1/(m(m-1)) sum_{i!=j} k(x_i,x_j) + 1/(n(n-1)) sum_{i!=j} k(y_i,y_j)
 *          - 2/(mn) sum_{i,j} k(x_i,y_j)
 * </pre>
 *
 * <p>{@link #unbiased} is unbiased for the population MMD^2 (so it can be negative); {@link #biased}
 * is the V-statistic (diagonal terms included, averages over m^2 and n^2), non-negative and biased
 * upwards by O(1/m + 1/n). Both cost O((m + n)^2 d) time and O(m + n) extra memory: the Gram rows
 * come from norms and dot products over a transposed, centred copy, and the exponential is a
 * vectorised polynomial (relative error about 1e-13). Only pairs i < j are visited. Assumes
 * finite data; sigma must be positive.
 */
public final class Mmd {
    private Mmd() {}

    /** Within-X, within-Y (both without the diagonal) and cross kernel sums. */
    record KernelSums(double xx, double yy, double xy) {}

    /** Returns the unbiased estimate MMD2_u of DESIGN section 4; needs m, n >= 2. */
    public static double unbiased(double[][] x, double[][] y, double sigma) {
        Checks.checkPair(x, y);
        Checks.checkSigma(sigma);
        return unbiased(sums(PooledData.of(x, y), sigma), x.length, y.length);
    }

    /** Returns the biased V-statistic ||mean phi(X) - mean phi(Y)||^2 in the kernel's space. */
    public static double biased(double[][] x, double[][] y, double sigma) {
        Checks.checkPair(x, y);
        Checks.checkSigma(sigma);
        KernelSums s = sums(PooledData.of(x, y), sigma);
        double m = x.length;
        double n = y.length;
        // The diagonal of a Gaussian Gram matrix is exactly 1.
        return (s.xx() + m) / (m * m) + (s.yy() + n) / (n * n) - 2.0 * s.xy() / (m * n);
    }

    static double unbiased(KernelSums s, int m, int n) {
        return s.xx() / ((double) m * (m - 1))
                + s.yy() / ((double) n * (n - 1))
                - 2.0 * s.xy() / ((double) m * n);
    }

    /** Kernel sums over the pooled data; visits each unordered pair once. */
    static KernelSums sums(PooledData p, double sigma) {
        final int m = p.m;
        final int size = p.size;
        final double gamma = 1.0 / (2.0 * sigma * sigma);
        double[] row = new double[size];
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < size - 1; i++) {
            p.squaredDistances(i, i + 1, size, row);
            KernelMath.gaussian(row, i + 1, size, gamma);
            if (i < m) {
                xx += KernelMath.sum(row, i + 1, m);
                xy += KernelMath.sum(row, m, size);
            } else {
                yy += KernelMath.sum(row, i + 1, size);
            }
        }
        return new KernelSums(2.0 * xx, 2.0 * yy, xy);
    }

    /**
     * Unbiased MMD^2 with each feature left out in turn (same sigma): element f is the statistic on
     * the data without feature f. Cost O(d N^2) exponentials.
     */
    static double[] leaveOneFeatureOut(PooledData p, double sigma) {
        final int m = p.m;
        final int size = p.size;
        final int d = p.dim;
        final double gamma = 1.0 / (2.0 * sigma * sigma);
        double[] row = new double[size];
        double[] tmp = new double[size];
        double[] xx = new double[d];
        double[] yy = new double[d];
        double[] xy = new double[d];
        for (int i = 0; i < size - 1; i++) {
            p.squaredDistances(i, i + 1, size, row);
            for (int f = 0; f < d; f++) {
                double zi = p.rows[i * d + f];
                double[] col = p.cols[f];
                for (int j = i + 1; j < size; j++) {
                    double diff = zi - col[j];
                    tmp[j] = Math.max(0.0, row[j] - diff * diff);
                }
                KernelMath.gaussian(tmp, i + 1, size, gamma);
                if (i < m) {
                    xx[f] += KernelMath.sum(tmp, i + 1, m);
                    xy[f] += KernelMath.sum(tmp, m, size);
                } else {
                    yy[f] += KernelMath.sum(tmp, i + 1, size);
                }
            }
        }
        double[] out = new double[d];
        for (int f = 0; f < d; f++) {
            out[f] = unbiased(new KernelSums(2.0 * xx[f], 2.0 * yy[f], xy[f]), m, p.n);
        }
        return out;
    }

    /** Gaussian kernel value exp(-||a - b||^2 / (2 sigma^2)) by direct differences. */
    public static double kernel(double[] a, double[] b, double sigma) {
        Checks.checkArgument(a != null && b != null, "points must not be null");
        Checks.checkArgument(a.length == b.length, "dimension mismatch: %s vs %s", a.length, b.length);
        Checks.checkSigma(sigma);
        double s = 0;
        for (int f = 0; f < a.length; f++) {
            double t = a[f] - b[f];
            s += t * t;
        }
        return Math.exp(-s / (2.0 * sigma * sigma));
    }
}
