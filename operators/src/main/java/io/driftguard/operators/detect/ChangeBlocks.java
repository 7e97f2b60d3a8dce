package io.driftguard.operators.detect;

/**
 * Time-ordered block summaries of one window, to estimate where inside the window a change began.
 *
 * <p>A window is cut into {@value #BLOCKS} blocks in arrival (count windows) or event-time order;
 * each record contributes its squared standardised distance from the reference mean, {@code z =
 * sum_f ((x_f - mu_f) / sd_f)^2}, which grows with changes of mean and of scale. The change point
 * is the block boundary that maximises the two-sample t-statistic of z between the blocks before
 * and after it (a single-change CUSUM on block means); when that maximum is below {@value
 * #MIN_T}, the change is taken to predate the window and its start is returned. Cost: O(d) per
 * record and O(blocks) per window; the accumulator is a plain {@code double[]} so that it lives in
 * Flink state without a custom serializer.
 */
public final class ChangeBlocks {

    /** Blocks per window. */
    public static final int BLOCKS = 16;

    /** Smallest t-statistic taken as a change inside the window. */
    public static final double MIN_T = 4.0;

    private static final int COUNT = 0;
    private static final int SUM = BLOCKS;
    private static final int SUM_SQ = 2 * BLOCKS;
    private static final int FIRST_TS = 3 * BLOCKS;
    private static final int SIZE = 4 * BLOCKS;

    private ChangeBlocks() {}

    /** A fresh, empty accumulator. */
    public static double[] create() {
        double[] a = new double[SIZE];
        java.util.Arrays.fill(a, FIRST_TS, SIZE, Double.NaN);
        return a;
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

    /** Adds one record's distance {@code z} at time {@code ts} to block {@code block}. */
    public static void add(double[] acc, int block, double z, long ts) {
        int b = Math.min(BLOCKS - 1, Math.max(0, block));
        acc[COUNT + b] += 1;
        acc[SUM + b] += z;
        acc[SUM_SQ + b] += z * z;
        if (Double.isNaN(acc[FIRST_TS + b])) {
            acc[FIRST_TS + b] = ts;
        }
    }

    /**
     * Returns the estimated start of the change: the first time of the block after the best
     * boundary, or {@code windowStart} when no boundary stands out.
     */
    public static long changeAt(double[] acc, long windowStart) {
        double n = 0;
        double s = 0;
        double ss = 0;
        for (int b = 0; b < BLOCKS; b++) {
            n += acc[COUNT + b];
            s += acc[SUM + b];
            ss += acc[SUM_SQ + b];
        }
        if (n < 4) {
            return windowStart;
        }
        double var = Math.max(ss / n - (s / n) * (s / n), 1e-12) * n / (n - 1);
        double n1 = 0;
        double s1 = 0;
        double best = MIN_T;
        int bestBlock = -1;
        for (int k = 1; k < BLOCKS; k++) {
            n1 += acc[COUNT + k - 1];
            s1 += acc[SUM + k - 1];
            double n2 = n - n1;
            if (n1 < 2 || n2 < 2 || acc[COUNT + k] == 0) {
                continue;
            }
            double t = ((s - s1) / n2 - s1 / n1) / Math.sqrt(var * (1 / n1 + 1 / n2));
            if (t > best) {
                best = t;
                bestBlock = k;
            }
        }
        return bestBlock < 0 ? windowStart : (long) acc[FIRST_TS + bestBlock];
    }
}
