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
                    col[k++] = r[f];
                    sum += r[f];
                    sq += r[f] * r[f];
                }
            }
            Arrays.sort(col);
            center[f] = UnivariateTests.quantileOfSorted(col, 0.5);
            double iqr = (UnivariateTests.quantileOfSorted(col, 0.75) - UnivariateTests.quantileOfSorted(col, 0.25)) / 1.349;
            double mean = sum / m;
            double sd = Math.sqrt(Math.max(0.0, sq / m - mean * mean));
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
        this.sigma = medianDistance();
        this.gamma = 1.0 / (2 * sigma * sigma);
        this.refCols = columns(ref, m);
        double[] acc = new double[MULTIVARIATE_CHANNELS];
        double[] buf = new double[m];
        boolean herd = m > HERD_ABOVE;
        double[] rowSum = herd ? new double[m] : null;
        for (int i = 0; i < m; i++) {
            KernelMath.squaredDistances(refCols, i, refCols, i + 1, m, buf);
            accumulateKernels(buf, i + 1, m, acc);
            if (herd) {
                double own = 0;
                for (int j = i + 1; j < m; j++) {
                    double k = buf[j] * buf[j];
                    k *= k;
                    own += k;
                    rowSum[j] += k;
                }
                rowSum[i] += own;
            }
        }
        for (int b = 0; b < MULTIVARIATE_CHANNELS; b++) {
            refKernelMean[b] = 2 * acc[b] / ((double) m * (m - 1));
        }
        this.crossCols = herd ? columns(herded(rowSum, buf), HERDED_ROWS) : refCols;
        this.crossRows = herd ? HERDED_ROWS : m;
        this.refHist = new double[dims][];
        this.refAbsDev = new double[dims];
        for (int f = 0; f < dims; f++) {
            refHist[f] = histogram(ref, m, f);
            refAbsDev[f] = meanAbs(ref, m, f);
        }
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
        double[] yy = new double[MULTIVARIATE_CHANNELS];
        double[] xy = new double[MULTIVARIATE_CHANNELS];
        double[][] curCols = columns(cur, n);
        double[] buf = new double[Math.max(n, m)];
        for (int i = 0; i < n; i++) {
            KernelMath.squaredDistances(curCols, i, curCols, i + 1, n, buf);
            accumulateKernels(buf, i + 1, n, yy);
            KernelMath.squaredDistances(curCols, i, crossCols, 0, crossRows, buf);
            accumulateKernels(buf, 0, crossRows, xy);
        }
        for (int b = 0; b < MULTIVARIATE_CHANNELS; b++) {
            out[b] =
                    refKernelMean[b]
                            + 2 * yy[b] / ((double) n * (n - 1))
                            - 2 * xy[b] / ((double) n * crossRows);
        }
        for (int f = 0; f < dims; f++) {
            double[] h = histogram(cur, n, f);
            double[] diff = new double[GRID];
            for (int g = 0; g < GRID; g++) {
                diff[g] = h[g] - refHist[f][g];
            }
            out[MULTIVARIATE_CHANNELS + f] = quadraticForm(diff);
            out[MULTIVARIATE_CHANNELS + dims + f] =
                    Math.abs(Math.log((meanAbs(cur, n, f) + 1e-12) / (refAbsDev[f] + 1e-12)));
        }
        return out;
    }

    /**
     * Adds the kernel sums at sigma/2, sigma and 2 sigma of the squared distances in
     * {@code sq[from..to)} (overwritten) to {@code acc}. One vectorised exp at the widest bandwidth;
     * the narrower ones are its 4th and 16th powers, exact up to rounding and never clamped where
     * they matter.
     */
    private void accumulateKernels(double[] sq, int from, int to, double[] acc) {
        KernelMath.gaussian(sq, from, to, gamma / 4);
        double half = 0;
        double one = 0;
        double two = 0;
        for (int j = from; j < to; j++) {
            double wide = sq[j];
            double k = wide * wide;
            k *= k;
            double narrow = k * k;
            narrow *= narrow;
            half += narrow;
            one += k;
            two += wide;
        }
        acc[0] += half;
        acc[1] += one;
        acc[2] += two;
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
        for (int t = 0; t < HERDED_ROWS; t++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                // (rowSum + 1) / m is the embedding at row j, its own kernel value 1 included
                double score = (rowSum[j] + 1.0) / m - taken[j] / (t + 1);
                if (score > bestScore) {
                    bestScore = score;
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

    /** {@code window} standardised like the reference (for tests). */
    public double[][] standardise(double[][] window) {
        double[][] out = new double[window.length][dims];
        for (int i = 0; i < window.length; i++) {
            for (int f = 0; f < dims; f++) {
                out[i][f] = (window[i][f] - center[f]) / scale[f];
            }
        }
        return out;
    }

    private double[] histogram(double[] rows, int n, int f) {
        double[] h = new double[GRID];
        for (int i = 0; i < n; i++) {
            double x = rows[i * dims + f];
            int g = (int) Math.round((Math.max(-GRID_LIMIT, Math.min(GRID_LIMIT, x)) + GRID_LIMIT)
                    / GRID_STEP);
            h[g] += 1.0 / n;
        }
        return h;
    }

    private double meanAbs(double[] rows, int n, int f) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.abs(rows[i * dims + f]);
        }
        return s / n;
    }

    private static double quadraticForm(double[] v) {
        double s = 0;
        int lags = LAG_KERNEL.length;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0.0) {
                continue;
            }
            s += v[i] * v[i] * LAG_KERNEL[0];
            int end = Math.min(v.length, i + lags);
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
