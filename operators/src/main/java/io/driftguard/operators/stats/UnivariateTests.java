package io.driftguard.operators.stats;

import java.util.Arrays;

/**
 * One-dimensional two-sample distances used for per-feature attribution.
 *
 * <p>Kolmogorov-Smirnov: D = sup_t |F_X(t) - F_Y(t)| of the empirical CDFs, in [0, 1]. Wasserstein-1:
 * integral |F_X(t) - F_Y(t)| dt, in the feature's units. Both exact, O((m + n) log(m + n)), ties
 * handled by advancing over equal values together. Consistent but biased upwards for finite
 * samples (positive under H0).
 */
public final class UnivariateTests {
    private UnivariateTests() {}

    /**
     * Quantile {@code q} in [0, 1] of an ascending, non-empty array by linear interpolation between
     * the order statistics at positions {@code floor(q (n - 1))} and the next one.
     */
    public static double quantileOfSorted(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        double frac = pos - i;
        return sorted[i] * (1 - frac) + sorted[j] * frac;
    }

    /** Kolmogorov-Smirnov statistic of two non-empty samples of finite values. */
    public static double kolmogorovSmirnov(double[] x, double[] y) {
        return kolmogorovSmirnovSorted(sortedCopy(x, "x"), sortedCopy(y, "y"));
    }

    /**
     * Kolmogorov-Smirnov statistic of two non-empty samples already sorted ascending (finite
     * values; not checked), in O(m + n).
     */
    public static double kolmogorovSmirnovSorted(double[] a, double[] b) {
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < a.length && j < b.length) {
            double t = Math.min(a[i], b[j]);
            while (i < a.length && a[i] == t) {
                i++;
            }
            while (j < b.length && b[j] == t) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / a.length - (double) j / b.length));
        }
        return d;
    }

    /** Wasserstein-1 distance between the empirical distributions of two non-empty samples. */
    public static double wasserstein1(double[] x, double[] y) {
        double[] a = sortedCopy(x, "x");
        double[] b = sortedCopy(y, "y");
        int i = 0;
        int j = 0;
        double prev = Math.min(a[0], b[0]);
        double area = 0;
        while (i < a.length || j < b.length) {
            double t;
            if (j >= b.length || (i < a.length && a[i] <= b[j])) {
                t = a[i];
            } else {
                t = b[j];
            }
            area += Math.abs((double) i / a.length - (double) j / b.length) * (t - prev);
            while (i < a.length && a[i] == t) {
                i++;
            }
            while (j < b.length && b[j] == t) {
                j++;
            }
            prev = t;
        }
        return area;
    }

    private static double[] sortedCopy(double[] v, String name) {
        Checks.checkArgument(v != null && v.length > 0, "%s must be non-empty", name);
        double[] c = v.clone();
        for (double t : c) {
            Checks.checkArgument(Double.isFinite(t), "%s has a non-finite value %s", name, t);
        }
        Arrays.sort(c);
        return c;
    }
}
