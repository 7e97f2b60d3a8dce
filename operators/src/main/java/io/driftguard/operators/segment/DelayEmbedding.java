package io.driftguard.operators.segment;

/**
 * Delay embedding of a series: each time t is represented by the last {@code m} values of every
 * feature, so that a kernel on the embedded points sees the series' dynamics (shape, rhythm,
 * frequency, autocorrelation) and not only the distribution of its values.
 *
 * <p><b>Standardisation.</b> Every feature is standardised once, over the whole series, to mean 0
 * and standard deviation 1 (population moments; a constant feature gets standard deviation 1),
 * before it is embedded. All lags of one feature thus share one scale, so the embedding keeps
 * the level and the amplitude of each window (a change of level or amplitude stays visible), and
 * features of different units weigh the same. Offline this costs two passes over the n x d
 * series, O(n d). In a stream the same moments are kept per key by Welford's running update,
 * O(d) time and O(d) state per record; a window's standardised points then cost O(d) per record.
 *
 * <p><b>Embedding.</b> Point r of the embedding of a series x (n x d) is the window of the m
 * values {@code x[r], ..., x[r + m - 1]} of every feature, r = 0 .. n - m: with lag step {@code
 * q} only every q-th of them is kept (the newest included), so a point has {@code d *
 * ceil(m / q)} coordinates. {@link #lagStep(int)} keeps at most {@value #MAX_LAGS} lags per
 * feature, so long windows do not make the kernel's cost grow without bound. Forming one point
 * costs O(d m / q) time; a window of w records costs O(w d m / q) and the same memory, and a
 * stream keeps the last m values per feature per key (O(d m) state; the ring buffer makes a new
 * point O(d m / q) per record).
 *
 * <p><b>Estimated m.</b> {@link #estimateWindow(double[][])} takes the dominant period of the
 * series from its autocorrelation function (ACF, averaged over the standardised features, lags
 * 1 .. L with L = min(n / 3, {@value #MAX_ACF_LAG})): the first local maximum of the ACF whose
 * height is at least {@value #MIN_PEAK}, whose prominence (its height above the lowest ACF value at
 * smaller lags) is at least {@value #MIN_PROMINENCE} + 3 / sqrt(n) (about five standard errors of a
 * white-noise ACF), and whose height is at least {@value #PEAK_SHARE} of the highest such peak.
 * Level shifts and trends raise the ACF at every lag, and with a few outliers they can make a peak
 * of it, so a peak must also show once they are taken out ({@link #detrendedAcfAtPeriod}): the
 * series less its moving mean over one period (the classical decomposition's trend) must have an
 * ACF of at least {@value #PERIOD_CONFIRM_SE} / sqrt(n) (three standard errors of a white-noise
 * ACF) within a tenth of the period around it, else the peak is dropped.
 * Without a period m is the decorrelation time, the first lag at which the ACF falls below 1/e;
 * because level shifts and trends make the ACF decay slowly however independent the values are
 * within a segment, m is the smaller of that and the decorrelation time of the AR(1) coefficient
 * estimated from the first differences ({@link #differenceAr1}), which a level shift moves by one
 * clipped difference only (at a coefficient of 1 or more, a random walk or a smooth trend, it has
 * none and the ACF's decides). Either way m is bounded to 1 .. max(1, n / {@value
 * #MAX_WINDOW_DIVISOR}), so that a series holds at least that many windows. Cost O(n L d) and
 * O(n log n) per feature for the medians of the differences.
 */
public final class DelayEmbedding {

    /** At most this many lags per feature are kept in a point. */
    public static final int MAX_LAGS = 64;

    /** The largest ACF lag examined. */
    public static final int MAX_ACF_LAG = 1000;

    /** A peak's minimum prominence, before the 3 / sqrt(n) noise allowance. */
    public static final double MIN_PROMINENCE = 0.1;

    /** A peak's minimum height. */
    public static final double MIN_PEAK = 0.25;

    /** A peak qualifies when at least this share of the highest prominent peak. */
    public static final double PEAK_SHARE = 0.8;

    /** m is at most n / this. */
    public static final int MAX_WINDOW_DIVISOR = 16;

    /**
     * A period is kept when the ACF of the series less its moving mean reaches this many
     * white-noise standard errors (1 / sqrt(n)) at the period.
     */
    public static final double PERIOD_CONFIRM_SE = 3;

    /**
     * First differences are clipped at this many robust standard deviations (1.4826 times their
     * median absolute deviation) before their autocorrelation is taken: Huber's constant, 95%
     * efficient for Gaussian differences, while a level shift's single large difference counts
     * no more than this.
     */
    public static final double DIFFERENCE_CLIP = 1.345;

    private DelayEmbedding() {}

    /** A copy of {@code x} (n x d) with every feature standardised over the whole series. */
    public static double[][] standardise(double[][] x) {
        int n = x.length;
        int d = n == 0 ? 0 : x[0].length;
        double[][] out = new double[n][d];
        for (int f = 0; f < d; f++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[f];
            }
            mean /= Math.max(1, n);
            double var = 0;
            for (double[] row : x) {
                double c = row[f] - mean;
                var += c * c;
            }
            double sd = Math.sqrt(var / Math.max(1, n));
            if (!(sd > 1e-12 * Math.max(1, Math.abs(mean)))) {
                sd = 1;
            }
            for (int t = 0; t < n; t++) {
                out[t][f] = (x[t][f] - mean) / sd;
            }
        }
        return out;
    }

    /** The lag step that keeps at most {@link #MAX_LAGS} lags of a window of {@code m}. */
    public static int lagStep(int m) {
        return Math.max(1, (m + MAX_LAGS - 1) / MAX_LAGS);
    }

    /**
     * The embedding of an already standardised series {@code z} (n x d) with window {@code m}:
     * points r = 0, stride, 2 stride, ... while r + m <= n, each the window starting at r.
     *
     * @param stride keep every stride-th point (1: all)
     * @param lagStep keep every lagStep-th lag of a window (the newest always kept)
     */
    public static double[][] embed(double[][] z, int m, int stride, int lagStep) {
        if (m < 1 || stride < 1 || lagStep < 1) {
            throw new IllegalArgumentException(
                    "window, stride and lag step must be positive, got " + m + ", " + stride + ", "
                            + lagStep);
        }
        int n = z.length;
        if (n < m) {
            return new double[0][];
        }
        int d = z[0].length;
        int lags = (m + lagStep - 1) / lagStep;
        int count = (n - m) / stride + 1;
        double[][] out = new double[count][d * lags];
        for (int p = 0; p < count; p++) {
            int r = p * stride;
            double[] row = out[p];
            int c = 0;
            for (int f = 0; f < d; f++) {
                // newest first: r + m - 1, r + m - 1 - q, ...
                for (int l = 0; l < lags; l++) {
                    row[c++] = z[r + m - 1 - l * lagStep][f];
                }
            }
        }
        return out;
    }

    /** The embedding of {@code x} (standardised here) with window m, all points, the lag step of m. */
    public static double[][] embed(double[][] x, int m) {
        return embed(standardise(x), m, 1, lagStep(m));
    }

    /** The averaged autocorrelation function of the standardised series, lags 0 .. maxLag. */
    public static double[] acf(double[][] z, int maxLag) {
        int n = z.length;
        int d = n == 0 ? 0 : z[0].length;
        double[] r = new double[maxLag + 1];
        for (int f = 0; f < d; f++) {
            double mean = 0;
            for (double[] row : z) {
                mean += row[f];
            }
            mean /= n;
            double[] c = new double[n];
            double var = 0;
            for (int t = 0; t < n; t++) {
                c[t] = z[t][f] - mean;
                var += c[t] * c[t];
            }
            if (var <= 0) {
                continue;
            }
            for (int k = 0; k <= maxLag; k++) {
                double s = 0;
                for (int t = 0; t + k < n; t++) {
                    s += c[t] * c[t + k];
                }
                r[k] += s / var / d;
            }
        }
        return r;
    }

    /** The window m estimated from the series {@code x} (n x d) by the rule in the class comment. */
    public static int estimateWindow(double[][] x) {
        int n = x.length;
        int upper = Math.max(1, n / MAX_WINDOW_DIVISOR);
        int maxLag = Math.min(n / 3, MAX_ACF_LAG);
        if (maxLag < 3) {
            return 1;
        }
        double[] r = acf(standardise(x), maxLag);
        double minProminence = MIN_PROMINENCE + 3 / Math.sqrt(n);
        // prominent local maxima
        double best = Double.NEGATIVE_INFINITY;
        double[] height = new double[maxLag + 1];
        boolean[] peak = new boolean[maxLag + 1];
        double low = r[0];
        for (int k = 1; k < maxLag; k++) {
            low = Math.min(low, r[k]);
            if (k >= 2 && r[k] > r[k - 1] && r[k] >= r[k + 1] && r[k] - low >= minProminence
                    && r[k] >= MIN_PEAK) {
                peak[k] = true;
                height[k] = r[k];
                best = Math.max(best, r[k]);
            }
        }
        int m = -1;
        for (int k = 2; k < maxLag && m < 0; k++) {
            if (peak[k] && height[k] >= PEAK_SHARE * best) {
                m = k;
            }
        }
        if (m > 0 && detrendedAcfAtPeriod(x, m) < PERIOD_CONFIRM_SE / Math.sqrt(n)) {
            m = -1;
        }
        if (m < 0) {
            m = maxLag;
            for (int k = 1; k <= maxLag; k++) {
                if (r[k] < 1 / Math.E) {
                    m = k;
                    break;
                }
            }
            m = Math.min(m, differenceDecorrelation(x));
        }
        return Math.max(1, Math.min(upper, m));
    }

    /**
     * The largest ACF, averaged over the features, of the series less its moving mean over {@code
     * p} records (the record at the middle of each run of p less the run's mean, the classical
     * decomposition's detrending) at the lags within max(1, p / 10) of {@code p}; positive
     * infinity when no feature varies. A periodic component of period p survives the detrending,
     * level shifts and trends do not (a shift leaves a ramp p records wide). O(n d p / 5).
     */
    static double detrendedAcfAtPeriod(double[][] x, int p) {
        int n = x.length;
        int d = n == 0 ? 0 : x[0].length;
        int len = n - p + 1;
        int w = Math.max(1, p / 10);
        if (len <= p + w) {
            return Double.POSITIVE_INFINITY;
        }
        double[][] res = new double[d][len];
        boolean[] varies = new boolean[d];
        int varying = 0;
        for (int f = 0; f < d; f++) {
            double run = 0;
            for (int t = 0; t < p; t++) {
                run += x[t][f];
            }
            double mean = 0;
            for (int t = 0; t < len; t++) {
                if (t > 0) {
                    run += x[t + p - 1][f] - x[t - 1][f];
                }
                res[f][t] = x[t + p / 2][f] - run / p;
                mean += res[f][t];
            }
            mean /= len;
            double var = 0;
            for (int t = 0; t < len; t++) {
                res[f][t] -= mean;
                var += res[f][t] * res[f][t];
            }
            if (var > 0) {
                varies[f] = true;
                varying++;
            }
        }
        if (varying == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int k = p - w; k <= p + w; k++) {
            double sum = 0;
            for (int f = 0; f < d; f++) {
                if (!varies[f]) {
                    continue;
                }
                double[] e = res[f];
                double num = 0;
                double den = 0;
                for (int t = 0; t < len; t++) {
                    den += e[t] * e[t];
                }
                for (int t = 0; t + k < len; t++) {
                    num += e[t] * e[t + k];
                }
                sum += num / den;
            }
            best = Math.max(best, sum / varying);
        }
        return best;
    }

    /**
     * The AR(1) coefficient of the series estimated from its first differences, averaged over the
     * features: for an AR(1) process with coefficient phi the lag-1 autocorrelation of the
     * differences is -(1 - phi) / 2, so phi = 1 + 2 r, r the lag-1 autocorrelation of the
     * differences, each centred on their median and clipped at {@value #DIFFERENCE_CLIP} robust
     * standard deviations (1.4826 MAD). A level shift is one large difference, clipped, so it
     * barely moves the estimate (the ACF of the values it inflates at every lag); the idea is
     * Chakar, Lebarbier, Levy-Leduc and Robin's (2017) robust AR(1) estimator for series with
     * changes in mean, here with Huber clipping instead of medians, for efficiency on short
     * series. About 0 for white noise, phi for an AR(1), 1 for a random walk, up to 3 for a smooth
     * trend; NaN when no feature has differences with a spread (fewer than 3 records, or most
     * differences equal). O(n log n) per feature.
     */
    public static double differenceAr1(double[][] x) {
        int n = x.length;
        if (n < 3) {
            return Double.NaN;
        }
        int d = x[0].length;
        double sum = 0;
        int used = 0;
        double[] dx = new double[n - 1];
        double[] dev = new double[n - 1];
        for (int f = 0; f < d; f++) {
            for (int t = 0; t + 1 < n; t++) {
                dx[t] = x[t + 1][f] - x[t][f];
            }
            double med = median(dx.clone());
            for (int t = 0; t < dx.length; t++) {
                dev[t] = Math.abs(dx[t] - med);
            }
            double scale = 1.4826 * median(dev.clone());
            if (!(scale > 0)) {
                continue;
            }
            double bound = DIFFERENCE_CLIP * scale;
            double mean = 0;
            for (int t = 0; t < dx.length; t++) {
                dev[t] = Math.max(-bound, Math.min(bound, dx[t] - med));
                mean += dev[t];
            }
            mean /= dx.length;
            double num = 0;
            double den = 0;
            for (int t = 0; t < dx.length; t++) {
                double c = dev[t] - mean;
                den += c * c;
                if (t + 1 < dx.length) {
                    num += c * (dev[t + 1] - mean);
                }
            }
            if (den > 0) {
                sum += 1 + 2 * num / den;
                used++;
            }
        }
        return used == 0 ? Double.NaN : sum / used;
    }

    /**
     * The first lag k at which phi^k < 1/e, phi = {@link #differenceAr1}: 1 when phi < 1/e,
     * {@link Integer#MAX_VALUE} when phi is at least 1 (a random walk or a trend: no finite
     * decorrelation time) or undefined.
     */
    static int differenceDecorrelation(double[][] x) {
        double phi = differenceAr1(x);
        if (!(phi < 1)) {
            return Integer.MAX_VALUE;
        }
        if (phi < 1 / Math.E) {
            return 1;
        }
        return (int) Math.floor(-1 / Math.log(phi)) + 1;
    }

    private static double median(double[] v) {
        java.util.Arrays.sort(v);
        int h = v.length / 2;
        return v.length % 2 == 1 ? v[h] : 0.5 * (v[h - 1] + v[h]);
    }
}
