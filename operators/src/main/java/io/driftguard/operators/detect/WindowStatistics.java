package io.driftguard.operators.detect;

import io.driftguard.operators.stats.KernelMath;
import io.driftguard.operators.stats.MedianHeuristic;
import io.driftguard.operators.stats.UnivariateTests;
import java.util.Arrays;
import java.util.List;

/**
 * The statistics of one window against a reference sample, larger meaning further apart.
 *
 * <p>Channels, in order:
 *
 * <ol>
 *   <li>three unbiased Gaussian-kernel MMD^2 estimates on the standardised multivariate records,
 *       at bandwidths {@code sigma / 2}, {@code sigma} and {@code 2 sigma}, where {@code sigma} is
 *       the median heuristic ({@link MedianHeuristic}) over the reference alone (an evenly spaced
 *       subsample of at most 300 records), so that it stays fixed while the reference does; the
 *       estimate equals {@link io.driftguard.operators.stats.Mmd#unbiased} but keeps the
 *       reference-only kernel sum between windows; for a reference of more than {@link
 *       #HERD_ABOVE} rows (a pooled one) the window-to-reference term runs over {@link
 *       #HERDED_ROWS} rows chosen once per reference by kernel herding, whose embedding is much
 *       closer to the whole reference's than a random subsample of that size (error O(1/h)
 *       rather than O(1/sqrt h) for smooth kernels), so a window costs O(n h d) instead of O(n m
 *       d); what remains of the difference is the same for every window and is absorbed by the
 *       calibration;
 *   <li>one per feature: the squared MMD between the reference's and the window's histograms of
 *       that standardised feature under the sum of Gaussian kernels of bandwidths 0.4 and 1.2
 *       (on a grid of 0.05 from -8 to 8, values beyond it clamped): sensitive to location, scale
 *       and shape (a biased V-statistic; its bias is the same for every window and is absorbed by
 *       the calibration);
 *   <li>one per feature: the absolute log ratio of the window's and the reference's mean absolute
 *       deviation from the reference median (standardised), for changes of scale.
 * </ol>
 *
 * <p>Features are standardised by the reference's median and interquartile range / 1.349 (the
 * standard deviation, then 1, when that range is 0). The reference-only kernel sums are computed
 * once per reference: a window then costs O(n m d) for the multivariate channels (distances
 * computed over feature columns, which vectorise, with the bits of a per-pair loop) and
 * O(n d + G L d) for the per-feature ones (G grid cells, L kernel lags).
 *
 * <p>Missing values (NaN): the reference's median and interquartile range of a feature are those
 * of its present values. In the multivariate channels a missing value is imputed by the
 * reference median, 0 in standardised units, so a feature with missing share q contributes to
 * the kernel distances only through its present (1 - q) share: its part of a change is shrunk by
 * its missing share. In a feature's histogram channel a missing value goes to a separate
 * "missing" bin that interacts with no other bin: the channel gains {@code (q_window -
 * q_reference)^2 K(0)}, K(0) = 2 the kernel's value at lag 0, so a change of the missing rate is
 * tested by the calibrated per-feature channel without adding channels. A feature's scale
 * channel uses its present values (0 when either side has none). None of this costs anything
 * when no value is missing.
 */
public final class WindowStatistics {

    /**
     * A reference larger than this (a pooled one) takes the window-to-reference kernel sum over
     * {@link #HERDED_ROWS} rows chosen by kernel herding rather than over all its rows.
     */
    public static final int HERD_ABOVE = 512;

    /** Reference rows the cross term runs over once the reference is larger than {@link #HERD_ABOVE}. */
    public static final int HERDED_ROWS = 256;

    /** Number of multivariate channels, which come first. */
    public static final int MULTIVARIATE_CHANNELS = 3;
    private static final double GRID_STEP = 0.05;
    private static final double GRID_LIMIT = 8.0;
    private static final int GRID = (int) Math.round(2 * GRID_LIMIT / GRID_STEP) + 1;
    private static final double[] LAG_KERNEL = lagKernel();

    private final int dims;
    private final int m;
    private final double[] center;
    private final double[] scale;
    private final double[] ref; // m x dims, standardised, row-major
    private final double[][] refCols; // the same, dims x m, for vectorised distances
    private final double gamma; // 1 / (2 sigma^2)
    private final double sigma;
    private final double[] refKernelMean = new double[MULTIVARIATE_CHANNELS];
    private final double[][] crossCols; // the rows the cross term runs over, dims x crossRows
    private final int crossRows;
    private final double[][] refHist;
    private final double[] refAbsDev;

    /** A reference made of the given windows pooled. */
    public WindowStatistics(List<double[][]> windows) {
        int total = 0;
        for (double[][] w : windows) {
            total += w.length;
        }
        if (total < 2) {
            throw new IllegalArgumentException("a reference needs at least 2 records");
        }
        this.dims = windows.get(0)[0].length;
        this.m = total;
        this.center = new double[dims];
        this.scale = new double[dims];
        double[] col = new double[m];
        for (int f = 0; f < dims; f++) {
            int k = 0;
            double sum = 0;
            double sq = 0;
            for (double[][] w : windows) {
                for (double[] r : w) {
                    double v = r[f];
                    if (v == v) {
                        col[k++] = v;
                        sum += v;
                        sq += v * v;
                    }
                }
            }
            if (k == 0) {
                center[f] = 0.0;
                scale[f] = 1.0;
                continue;
            }
            center[f] = quantile(col, k, 0.5);
            double iqr = (quantile(col, k, 0.75) - quantile(col, k, 0.25)) / 1.349;
            double mean = sum / k;
            double sd = Math.sqrt(Math.max(0.0, sq / k - mean * mean));
            scale[f] = iqr > 1e-12 ? iqr : sd > 1e-12 ? sd : 1.0;
        }
        this.ref = new double[m * dims];
        int row = 0;
        for (double[][] w : windows) {
            for (double[] r : w) {
                for (int f = 0; f < dims; f++) {
                    ref[row * dims + f] = (r[f] - center[f]) / scale[f];
                }
                row++;
            }
        }
        this.refHist = new double[dims][];
        this.refAbsDev = new double[dims];
        for (int f = 0; f < dims; f++) {
            refHist[f] = histogram(ref, m, f);
            refAbsDev[f] = meanAbs(ref, m, f);
        }
        imputeStandardised(ref, m * dims);
        this.sigma = medianDistance();
        this.gamma = 1.0 / (2 * sigma * sigma);
        this.refCols = columns(ref, m);
        double[] acc = new double[MULTIVARIATE_CHANNELS];
        double[] buf = new double[m];
        double[] buf2 = new double[m];
        boolean herd = m > HERD_ABOVE;
        double[] rowSum = herd ? new double[m] : null;
        double[] own = new double[2];
        // two rows at a time (rowKernels), the last one alone when m is odd
        int i = 0;
        for (; i + 1 < m; i += 2) {
            KernelMath.squaredDistances(refCols, i, refCols, i + 1, m, buf);
            KernelMath.squaredDistances(refCols, i + 1, refCols, i + 2, m, buf2);
            rowKernels(buf, i + 1, buf2, i + 2, m, acc, rowSum, own);
            if (herd) {
                rowSum[i] += own[0];
                rowSum[i + 1] += own[1];
            }
        }
        if (i < m) {
            KernelMath.squaredDistances(refCols, i, refCols, i + 1, m, buf);
            rowKernels(buf, i + 1, buf, m, m, acc, rowSum, own);
            if (herd) {
                rowSum[i] += own[0];
            }
        }
        for (int b = 0; b < MULTIVARIATE_CHANNELS; b++) {
            refKernelMean[b] = 2 * acc[b] / ((double) m * (m - 1));
        }
        this.crossCols = herd ? columns(herded(rowSum, buf), HERDED_ROWS) : refCols;
        this.crossRows = herd ? HERDED_ROWS : m;
    }

    /**
     * {@link UnivariateTests#quantileOfSorted} of the first {@code n} values of {@code a} as if they
     * were sorted ({@link Arrays#sort} order), from the two order statistics it interpolates,
     * found by selection (expected O(n) rather than a sort's O(n log n)); reorders {@code a[0..n)}.
     */
    static double quantile(double[] a, int n, double q) {
        double pos = q * (n - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, n - 1);
        double frac = pos - i;
        double lo = select(a, n, i);
        // the next order statistic: the smallest of those selection left above position i
        double hi = lo;
        if (j > i) {
            hi = a[i + 1];
            for (int t = i + 2; t < n; t++) {
                if (Double.compare(a[t], hi) < 0) {
                    hi = a[t];
                }
            }
        }
        return lo * (1 - frac) + hi * frac;
    }

    /**
     * The k-th smallest (0-based) of {@code a[0..n)} in {@link Double#compare} order, which leaves
     * it at {@code a[k]}, the smaller ones before and the others after (Hoare's selection with a
     * median-of-three pivot).
     */
    private static double select(double[] a, int n, int k) {
        int lo = 0;
        int hi = n - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            if (Double.compare(a[mid], a[lo]) < 0) {
                swap(a, mid, lo);
            }
            if (Double.compare(a[hi], a[lo]) < 0) {
                swap(a, hi, lo);
            }
            if (Double.compare(a[hi], a[mid]) < 0) {
                swap(a, hi, mid);
            }
            double pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (Double.compare(a[i], pivot) < 0) {
                    i++;
                }
                while (Double.compare(pivot, a[j]) < 0) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Number of channels: the multivariate ones, then two per feature. */
    public int channels() {
        return MULTIVARIATE_CHANNELS + 2 * dims;
    }

    /** Features per record. */
    public int dims() {
        return dims;
    }

    /** The median-heuristic bandwidth of the standardised reference. */
    public double sigma() {
        return sigma;
    }

    /** The channel statistics of {@code window} against this reference. */
    public double[] statistics(double[][] window) {
        int n = window.length;
        if (n < 2) {
            throw new IllegalArgumentException("a window needs at least 2 records");
        }
        double[] cur = new double[n * dims];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < dims; f++) {
                cur[i * dims + f] = (window[i][f] - center[f]) / scale[f];
            }
        }
        double[] out = new double[channels()];
        for (int f = 0; f < dims; f++) {
            double[] h = histogram(cur, n, f);
            double[] diff = new double[GRID + 1];
            for (int g = 0; g <= GRID; g++) {
                diff[g] = h[g] - refHist[f][g];
            }
            out[MULTIVARIATE_CHANNELS + f] = quadraticForm(diff);
            double abs = meanAbs(cur, n, f);
            out[MULTIVARIATE_CHANNELS + dims + f] = Double.isNaN(abs) || Double.isNaN(refAbsDev[f])
                    ? 0.0
                    : Math.abs(Math.log((abs + 1e-12) / (refAbsDev[f] + 1e-12)));
        }
        imputeStandardised(cur, n * dims);
        double[] yy = new double[MULTIVARIATE_CHANNELS];
        double[] xy = new double[MULTIVARIATE_CHANNELS];
        double[][] curCols = columns(cur, n);
        double[] buf = new double[Math.max(n, crossRows)];
        double[] buf2 = new double[Math.max(n, crossRows)];
        // two rows at a time (rowKernels), the last one alone when n is odd
        int i = 0;
        for (; i + 1 < n; i += 2) {
            KernelMath.squaredDistances(curCols, i, curCols, i + 1, n, buf);
            KernelMath.squaredDistances(curCols, i + 1, curCols, i + 2, n, buf2);
            rowKernels(buf, i + 1, buf2, i + 2, n, yy, null, null);
            KernelMath.squaredDistances(curCols, i, crossCols, 0, crossRows, buf);
            KernelMath.squaredDistances(curCols, i + 1, crossCols, 0, crossRows, buf2);
            rowKernels(buf, 0, buf2, 0, crossRows, xy, null, null);
        }
        if (i < n) {
            KernelMath.squaredDistances(curCols, i, curCols, i + 1, n, buf);
            rowKernels(buf, i + 1, buf, n, n, yy, null, null);
            KernelMath.squaredDistances(curCols, i, crossCols, 0, crossRows, buf);
            rowKernels(buf, 0, buf, crossRows, crossRows, xy, null, null);
        }
        for (int b = 0; b < MULTIVARIATE_CHANNELS; b++) {
            out[b] =
                    refKernelMean[b]
                            + 2 * yy[b] / ((double) n * (n - 1))
                            - 2 * xy[b] / ((double) n * crossRows);
        }
        return out;
    }

    /** Replaces the NaN (missing) values of the first {@code n} standardised values by 0. */
    private static void imputeStandardised(double[] values, int n) {
        for (int i = 0; i < n; i++) {
            if (values[i] != values[i]) {
                values[i] = 0.0;
            }
        }
    }

    /** The reference median of feature {@code f} (over its present values; 0 when it has none). */
    public double center(int f) {
        return center[f];
    }

    /**
     * {@code rows} with every missing (NaN) value replaced by the reference's median of its
     * feature, for statistics computed on raw rows; {@code rows} itself when nothing is missing
     * (a row without NaN is shared, not copied).
     */
    public double[][] imputed(double[][] rows) {
        return impute(rows, center);
    }

    /**
     * Per feature, the median of the present (not NaN) values of {@code rows}; 0 for a feature
     * with none.
     */
    public static double[] presentMedians(double[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        double[] out = new double[d];
        double[] col = new double[rows.length];
        for (int f = 0; f < d; f++) {
            int k = 0;
            for (double[] r : rows) {
                if (r[f] == r[f]) {
                    col[k++] = r[f];
                }
            }
            if (k > 0) {
                Arrays.sort(col, 0, k);
                out[f] = UnivariateTests.quantileOfSorted(k == col.length ? col : Arrays.copyOf(col, k), 0.5);
            }
        }
        return out;
    }

    /**
     * {@code rows} with every NaN value of feature f replaced by {@code fill[f]}; {@code rows}
     * itself when none is NaN. Only rows with a NaN are copied.
     */
    public static double[][] impute(double[][] rows, double[] fill) {
        double[][] out = null;
        for (int i = 0; i < rows.length; i++) {
            double[] r = rows[i];
            double[] c = null;
            for (int f = 0; f < r.length; f++) {
                if (r[f] != r[f]) {
                    if (c == null) {
                        c = r.clone();
                    }
                    c[f] = fill[f];
                }
            }
            if (c != null) {
                if (out == null) {
                    out = rows.clone();
                }
                out[i] = c;
            }
        }
        return out == null ? rows : out;
    }

    /** Per feature, the share of {@code rows} whose value is NaN (missing); 0 for no rows. */
    public static double[] missingRates(double[][] rows) {
        int d = rows.length == 0 ? 0 : rows[0].length;
        double[] out = new double[d];
        for (double[] r : rows) {
            for (int f = 0; f < d; f++) {
                if (r[f] != r[f]) {
                    out[f] += 1;
                }
            }
        }
        for (int f = 0; f < d; f++) {
            out[f] /= Math.max(1, rows.length);
        }
        return out;
    }

    /**
     * The kernel sums of two rows of pairs: adds to {@code acc} the sums at sigma/2, sigma and 2
     * sigma of the squared distances in {@code a[fromA..to)}, then those of {@code b[fromB..to)}
     * ({@code fromA <= fromB}; both overwritten); with {@code rowSum} also adds each pair's kernel
     * at sigma to {@code rowSum[j]}, row a's before row b's, and writes each row's sum of them
     * (the sum at sigma: its own share of its kernel mean embedding, for herding) to {@code own}.
     * One vectorised exp at the widest bandwidth; the narrower ones are its 4th and 16th powers,
     * exact up to rounding and never clamped where they matter. Each sum runs over j in
     * increasing order from 0, as one row at a time would, so the doubles are the same; the two
     * rows' running sums advance side by side in one loop, so the adders do not wait on one sum.
     */
    private void rowKernels(
            double[] a, int fromA, double[] b, int fromB, int to, double[] acc, double[] rowSum, double[] own) {
        KernelMath.gaussian(a, fromA, to, gamma / 4);
        KernelMath.gaussian(b, fromB, to, gamma / 4);
        double halfA = 0;
        double oneA = 0;
        double twoA = 0;
        double halfB = 0;
        double oneB = 0;
        double twoB = 0;
        int j = fromA;
        for (; j < fromB; j++) {
            double wide = a[j];
            double k = wide * wide;
            k *= k;
            double narrow = k * k;
            narrow *= narrow;
            halfA += narrow;
            oneA += k;
            twoA += wide;
            if (rowSum != null) {
                rowSum[j] += k;
            }
        }
        // the same loop twice, with and without the row sums, so that the hot loop has no branch
        if (rowSum == null) {
            for (; j < to; j++) {
                double wa = a[j];
                double ka = wa * wa;
                ka *= ka;
                double na = ka * ka;
                na *= na;
                double wb = b[j];
                double kb = wb * wb;
                kb *= kb;
                double nb = kb * kb;
                nb *= nb;
                halfA += na;
                oneA += ka;
                twoA += wa;
                halfB += nb;
                oneB += kb;
                twoB += wb;
            }
        } else {
            for (; j < to; j++) {
                double wa = a[j];
                double ka = wa * wa;
                ka *= ka;
                double na = ka * ka;
                na *= na;
                double wb = b[j];
                double kb = wb * wb;
                kb *= kb;
                double nb = kb * kb;
                nb *= nb;
                halfA += na;
                oneA += ka;
                twoA += wa;
                halfB += nb;
                oneB += kb;
                twoB += wb;
                rowSum[j] = rowSum[j] + ka + kb;
            }
        }
        acc[0] += halfA;
        acc[1] += oneA;
        acc[2] += twoA;
        if (fromB < to) {
            acc[0] += halfB;
            acc[1] += oneB;
            acc[2] += twoB;
        }
        if (own != null) {
            own[0] = oneA;
            own[1] = oneB;
        }
    }

    /**
     * Kernel herding (Chen, Welling and Smola 2010) of {@link #HERDED_ROWS} reference rows at the
     * bandwidth sigma: each step takes the row that maximises {@code mu(r) - (1/(t+1)) sum_s k(r,
     * h_s)}, where {@code mu} is the reference's kernel mean embedding and {@code h_s} the rows
     * taken so far (a row may be taken again). Returns the taken rows, row-major.
     */
    private double[] herded(double[] rowSum, double[] buf) {
        double[] taken = new double[m];
        double[] out = new double[HERDED_ROWS * dims];
        // (rowSum + 1) / m is the embedding at row j, its own kernel value 1 included
        double[] embedding = new double[m];
        for (int j = 0; j < m; j++) {
            embedding[j] = (rowSum[j] + 1.0) / m;
        }
        double[] score = new double[m];
        for (int t = 0; t < HERDED_ROWS; t++) {
            // the scores in a loop of their own, which vectorises; the first largest after it
            double steps = t + 1;
            for (int j = 0; j < m; j++) {
                score[j] = embedding[j] - taken[j] / steps;
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (score[j] > bestScore) {
                    bestScore = score[j];
                    best = j;
                }
            }
            System.arraycopy(ref, best * dims, out, t * dims, dims);
            KernelMath.squaredDistances(refCols, best, refCols, 0, m, buf);
            KernelMath.gaussian(buf, 0, m, gamma);
            for (int j = 0; j < m; j++) {
                taken[j] += buf[j];
            }
        }
        return out;
    }

    /** Feature columns {@code [feature][row]} of row-major {@code rows} with n rows. */
    private double[][] columns(double[] rows, int n) {
        double[][] cols = new double[dims][n];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < dims; f++) {
                cols[f][i] = rows[i * dims + f];
            }
        }
        return cols;
    }

    private double medianDistance() {
        int step = Math.max(1, m / 300);
        int count = (m + step - 1) / step;
        if (count < 2) {
            return 1.0;
        }
        double[][] points = new double[count][];
        for (int k = 0; k < count; k++) {
            points[k] = Arrays.copyOfRange(ref, k * step * dims, (k * step + 1) * dims);
        }
        return MedianHeuristic.sigmaOfAllPairs(points);
    }

    /** The standardised reference, {@code [record][feature]} (for tests). */
    public double[][] standardisedReference() {
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) {
            out[i] = Arrays.copyOfRange(ref, i * dims, (i + 1) * dims);
        }
        return out;
    }

    /**
     * {@code window} standardised like the reference, a missing (NaN) value imputed by the
     * reference median (0).
     */
    public double[][] standardise(double[][] window) {
        double[][] out = new double[window.length][dims];
        for (int i = 0; i < window.length; i++) {
            for (int f = 0; f < dims; f++) {
                double z = (window[i][f] - center[f]) / scale[f];
                out[i][f] = z == z ? z : 0.0;
            }
        }
        return out;
    }

    /** Histogram of feature f's standardised values on the grid, the missing share last. */
    private double[] histogram(double[] rows, int n, int f) {
        double[] h = new double[GRID + 1];
        for (int i = 0; i < n; i++) {
            double x = rows[i * dims + f];
            if (x != x) {
                h[GRID] += 1.0 / n;
                continue;
            }
            int g = (int) Math.round((Math.max(-GRID_LIMIT, Math.min(GRID_LIMIT, x)) + GRID_LIMIT)
                    / GRID_STEP);
            h[g] += 1.0 / n;
        }
        return h;
    }

    /** Mean absolute standardised value of feature f's present values; NaN when none. */
    private double meanAbs(double[] rows, int n, int f) {
        double s = 0;
        int k = 0;
        for (int i = 0; i < n; i++) {
            double x = rows[i * dims + f];
            if (x == x) {
                s += Math.abs(x);
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }

    /**
     * The kernel quadratic form of a histogram difference: the grid cells under the lag kernel,
     * plus the missing bin (last), which interacts with no other bin, times K(0).
     */
    private static double quadraticForm(double[] v) {
        double s = v[GRID] * v[GRID] * LAG_KERNEL[0];
        int lags = LAG_KERNEL.length;
        for (int i = 0; i < GRID; i++) {
            if (v[i] == 0.0) {
                continue;
            }
            s += v[i] * v[i] * LAG_KERNEL[0];
            int end = Math.min(GRID, i + lags);
            double cross = 0;
            for (int j = i + 1; j < end; j++) {
                cross += v[j] * LAG_KERNEL[j - i];
            }
            s += 2 * v[i] * cross;
        }
        return s;
    }

    private static double[] lagKernel() {
        double[] bw = {0.4, 1.2};
        int lags = (int) Math.ceil(6 * 1.2 / GRID_STEP) + 1;
        double[] k = new double[lags];
        for (int l = 0; l < lags; l++) {
            double dx = l * GRID_STEP;
            for (double b : bw) {
                k[l] += Math.exp(-dx * dx / (2 * b * b));
            }
        }
        return k;
    }
}
