package io.driftguard.operators.detect;

/**
 * Time-ordered block summaries of one window, to estimate where inside the window a change began.
 *
 * <p>A window is cut into {@value #BLOCKS} blocks in arrival (count windows) or event-time order;
 * each record contributes its squared standardised distance from the reference mean, {@code z =
 * sum_f ((x_f - mu_f) / sd_f)^2}, which grows with changes of mean and of scale. The change point
 * is the block boundary that maximises the two-sample t-statistic of z between the blocks before
 * and after it (a single-change CUSUM on block means, its variance from the blocks' spread, so that
 * records correlated in time do not inflate it); when that maximum is below {@value
 * #MIN_T}, the change is taken to predate the window and its start is returned.
 *
 * <p>Delay-embedded records ({@link #create(boolean) create(true)}) add a second channel for their
 * dynamics: {@code y = sum over base features f and adjacent lags j of (u_(f,j) - u_(f,j+1))^2},
 * with {@code u} the standardised coordinates. Under a stationary reference its mean is {@code 2
 * (1 - rho_f(tau))} per pair, rho the lag-tau autocorrelation, so a change of frequency, shape or
 * autocorrelation that keeps the values' distribution (and with it z's mean) moves y's mean, up or
 * down; y is tested two-sided. The boundary is then the one where z's t-statistic or y's absolute
 * t-statistic exceeds its threshold ({@link #MIN_T}, {@link #MIN_T_DYNAMICS}) by the largest
 * factor. The location is only reported for windows the detector alarmed on.
 *
 * <p>Cost: O(d) per record (O(d m) embedded) and O(blocks) per window; the accumulator is a plain
 * {@code double[]} so that it lives in Flink state without a custom serializer (an accumulator
 * written without the dynamics channel is still read, and has none).
 */
public final class ChangeBlocks {

    /** Blocks per window. */
    public static final int BLOCKS = 16;

    /** Smallest t-statistic taken as a change inside the window. */
    public static final double MIN_T = 4.0;

    /**
     * Smallest absolute t-statistic of the dynamics channel taken as a change inside the window:
     * higher than {@link #MIN_T} because that channel is tested both ways and its squared
     * increments are heavier-tailed (on an AR(1) series with phi 0.5 embedded with m = 3 and
     * without change, the largest of the 15 boundaries' statistics exceeded 4.85 in 1% of windows
     * of 1,600 records; a change of phi to -0.5 gave 8 to 19).
     */
    public static final double MIN_T_DYNAMICS = 5.5;

    private static final int COUNT = 0;
    private static final int SUM = BLOCKS;
    // slots 2 BLOCKS .. 3 BLOCKS once held the distances' sums of squares: neither written nor read
    // any more (the statistic takes its variance from the block means), kept so the layout in state holds
    private static final int FIRST_TS = 3 * BLOCKS;
    private static final int SIZE = 4 * BLOCKS;
    private static final int SUM_Y = 4 * BLOCKS;
    private static final int SIZE_DYNAMICS = 5 * BLOCKS;

    private ChangeBlocks() {}

    /** A fresh, empty accumulator of distances only. */
    public static double[] create() {
        return create(false);
    }

    /** A fresh, empty accumulator; with {@code dynamics} it also keeps the lag-increment channel. */
    public static double[] create(boolean dynamics) {
        double[] a = new double[dynamics ? SIZE_DYNAMICS : SIZE];
        java.util.Arrays.fill(a, FIRST_TS, SIZE, Double.NaN);
        return a;
    }

    /** Whether the accumulator keeps the dynamics channel. */
    public static boolean hasDynamics(double[] acc) {
        return acc.length >= SIZE_DYNAMICS;
    }

    /**
     * The squared standardised distance of {@code x} from {@code mean} ({@code invSd} = 1/sd). A
     * missing (NaN) value, or a feature whose reference mean is unknown (NaN), adds nothing: it is
     * imputed by the reference mean.
     */
    public static double distance(double[] x, double[] mean, double[] invSd) {
        double z = 0;
        for (int f = 0; f < x.length; f++) {
            double u = (x[f] - mean[f]) * invSd[f];
            if (u == u) {
                z += u * u;
            }
        }
        return z;
    }

    /**
     * The squared standardised increments between adjacent lags of a delay-embedded record laid out
     * as {@code base} features, then the same features {@code tau}, {@code 2 tau}, ... records
     * earlier ({@code lags} blocks of {@code base} in all). A missing value is imputed by the
     * reference mean (u = 0), as in {@link #distance}.
     */
    public static double increments(double[] x, double[] mean, double[] invSd, int base, int lags) {
        double y = 0;
        for (int f = 0; f < base; f++) {
            double prev = standardised(x, mean, invSd, f);
            for (int j = 1; j < lags; j++) {
                double u = standardised(x, mean, invSd, j * base + f);
                double diff = prev - u;
                y += diff * diff;
                prev = u;
            }
        }
        return y;
    }

    private static double standardised(double[] x, double[] mean, double[] invSd, int i) {
        double u = (x[i] - mean[i]) * invSd[i];
        return u == u ? u : 0.0;
    }

    /** Adds one record's distance {@code z} at time {@code ts} to block {@code block}. */
    public static void add(double[] acc, int block, double z, long ts) {
        add(acc, block, z, 0.0, ts);
    }

    /**
     * Adds one record's distance {@code z} and lag increments {@code y} (ignored without the
     * dynamics channel) at time {@code ts} to block {@code block}.
     */
    public static void add(double[] acc, int block, double z, double y, long ts) {
        int b = Math.min(BLOCKS - 1, Math.max(0, block));
        acc[COUNT + b] += 1;
        acc[SUM + b] += z;
        if (acc.length >= SIZE_DYNAMICS) {
            acc[SUM_Y + b] += y;
        }
        if (Double.isNaN(acc[FIRST_TS + b])) {
            acc[FIRST_TS + b] = ts;
        }
    }

    /**
     * Returns the estimated start of the change: the first time of the block after the best
     * boundary, or {@code windowStart} when no boundary stands out.
     */
    public static long changeAt(double[] acc, long windowStart) {
        int best = boundary(acc);
        return best < 0 ? windowStart : (long) acc[FIRST_TS + best];
    }

    /** The block after the best boundary, or -1 when no boundary's statistic reaches MIN_T. */
    static int boundary(double[] acc) {
        double n = 0;
        for (int b = 0; b < BLOCKS; b++) {
            n += acc[COUNT + b];
        }
        if (n < 4) {
            return -1;
        }
        double[] tz = tStatistics(acc, SUM, n);
        double[] ty = hasDynamics(acc) ? tStatistics(acc, SUM_Y, n) : null;
        // each channel's statistic over its threshold: z grows with a change (one-sided), the
        // increments may fall or rise (two-sided); the boundary that stands out most wins
        double best = 1.0;
        int bestBlock = -1;
        for (int k = 1; k < BLOCKS; k++) {
            double t = tz[k] / MIN_T;
            if (ty != null) {
                t = Math.max(t, Math.abs(ty[k]) / MIN_T_DYNAMICS);
            }
            if (t > best) {
                best = t;
                bestBlock = k;
            }
        }
        return bestBlock;
    }

    /**
     * Per boundary k (blocks before k against blocks from k on), the two-sample t-statistic of the
     * channel whose sums start at {@code sum}: the difference of the two sides' means over its
     * standard error, with the variance estimated from the spread of the block means around their
     * side's mean (weighted by the blocks' counts, {@code BLOCKS - 2} degrees of freedom for full
     * windows). Block means, not single records, carry the variance, so records that are
     * correlated within a block (an autocorrelated series, overlapping delay embeddings) do not
     * inflate the statistic. NaN where either side has fewer than 2 records or block k is empty.
     */
    private static double[] tStatistics(double[] acc, int sum, double n) {
        double[] t = new double[BLOCKS];
        t[0] = Double.NaN;
        double n1 = 0;
        double s1 = 0;
        double s = 0;
        int filled = 0;
        for (int b = 0; b < BLOCKS; b++) {
            s += acc[sum + b];
            filled += acc[COUNT + b] > 0 ? 1 : 0;
        }
        for (int k = 1; k < BLOCKS; k++) {
            n1 += acc[COUNT + k - 1];
            s1 += acc[sum + k - 1];
            double n2 = n - n1;
            if (n1 < 2 || n2 < 2 || acc[COUNT + k] == 0 || filled < 3) {
                t[k] = Double.NaN;
                continue;
            }
            double m1 = s1 / n1;
            double m2 = (s - s1) / n2;
            double within = 0;
            for (int b = 0; b < BLOCKS; b++) {
                double c = acc[COUNT + b];
                if (c > 0) {
                    double dev = acc[sum + b] / c - (b < k ? m1 : m2);
                    within += c * dev * dev;
                }
            }
            double var = Math.max(within / (filled - 2), 1e-12);
            t[k] = (m2 - m1) / Math.sqrt(var * (1 / n1 + 1 / n2));
        }
        return t;
    }
}
