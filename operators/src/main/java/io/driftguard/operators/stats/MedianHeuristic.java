package io.driftguard.operators.stats;

import java.util.SplittableRandom;

/**
 * The median heuristic for the Gaussian kernel bandwidth: sigma = median of ||z_i - z_j|| over
 * pairs i < j of the pooled sample Z = X u Y.
 *
 * <p>When Z has more than {@code maxPoints} (at least 1000, default 1000) points, the median is
 * taken over a seeded uniform subsample of exactly {@code maxPoints} points without replacement.
 * With an even number of pairs the median is the mean of the two middle distances. When the median
 * is 0 (more than half of the pairs coincide) sigma is 1. Cost O(min(N, maxPoints)^2 d) time and
 * O(min(N, maxPoints)^2) memory, with selection in expected linear time. Distances are computed by
 * direct differences (no cancellation).
 */
public final class MedianHeuristic {
    /** Default and minimum subsample size. */
    public static final int DEFAULT_MAX_POINTS = 1000;

    private MedianHeuristic() {}

    /** Median-heuristic sigma of X u Y with the default subsample size. */
    public static double sigma(double[][] x, double[][] y, long seed) {
        return sigma(x, y, DEFAULT_MAX_POINTS, seed);
    }

    /** Median-heuristic sigma of X u Y, subsampling to {@code maxPoints} when larger. */
    public static double sigma(double[][] x, double[][] y, int maxPoints, long seed) {
        int d = Checks.checkSample(x, "x", 1);
        int dy = Checks.checkSample(y, "y", 1);
        Checks.checkArgument(d == dy, "x has %s features but y has %s", d, dy);
        Checks.checkArgument(
                maxPoints >= DEFAULT_MAX_POINTS,
                "maxPoints must be at least %s, got %s",
                DEFAULT_MAX_POINTS,
                maxPoints);
        int total = x.length + y.length;
        int[] pick = null;
        if (total > maxPoints) {
            pick = sampleWithoutReplacement(total, maxPoints, new SplittableRandom(seed));
        }
        int size = pick == null ? total : pick.length;
        double[] flat = new double[size * d];
        for (int t = 0; t < size; t++) {
            int i = pick == null ? t : pick[t];
            double[] row = i < x.length ? x[i] : y[i - x.length];
            System.arraycopy(row, 0, flat, t * d, d);
        }
        return sigmaOfFlat(flat, size, d);
    }

    /** Median-heuristic sigma over all pairs of {@code points} (no subsampling). */
    public static double sigmaOfAllPairs(double[][] points) {
        int d = Checks.checkSample(points, "points", 2);
        double[] flat = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            System.arraycopy(points[i], 0, flat, i * d, d);
        }
        return sigmaOfFlat(flat, points.length, d);
    }

    static double sigmaOfFlat(double[] flat, int size, int d) {
        Checks.checkArgument(size >= 2, "need at least two points, got %s", size);
        int pairs = size * (size - 1) / 2;
        double[] sq = new double[pairs];
        // Feature columns, so that each row's distances are d vectorisable passes over
        // contiguous memory; each distance still adds its squared differences in feature order
        // starting from the first, as a per-pair loop would.
        double[][] cols = new double[d][size];
        for (int i = 0; i < size; i++) {
            for (int f = 0; f < d; f++) {
                cols[f][i] = flat[i * d + f];
            }
        }
        int t = 0;
        for (int i = 0; i < size - 1; i++) {
            final int off = t - i - 1;
            final double[] c0 = cols[0];
            final double x0 = c0[i];
            for (int j = i + 1; j < size; j++) {
                double diff = c0[j] - x0;
                sq[off + j] = diff * diff;
            }
            for (int f = 1; f < d; f++) {
                final double[] c = cols[f];
                final double xf = c[i];
                for (int j = i + 1; j < size; j++) {
                    double diff = c[j] - xf;
                    sq[off + j] += diff * diff;
                }
            }
            t += size - i - 1;
        }
        double median = medianOfSquares(sq);
        return median > 0 ? median : 1.0;
    }

    /** Median of sqrt(sq[i]); may reorder {@code sq}. */
    static double medianOfSquares(double[] sq) {
        int len = sq.length;
        int hi = len / 2;
        if (len >= Selection.BUCKETED_MIN_LENGTH) {
            if ((len & 1) == 1) {
                return Math.sqrt(Selection.bucketSelect(sq, hi));
            }
            double[] pair = Selection.bucketSelectAdjacent(sq, hi - 1);
            return 0.5 * (Math.sqrt(pair[0]) + Math.sqrt(pair[1]));
        }
        double upper = Selection.select(sq, hi);
        if ((len & 1) == 1) {
            return Math.sqrt(upper);
        }
        // After selection every element left of hi is <= sq[hi]; the lower middle is their max.
        double lower = sq[0];
        for (int i = 1; i < hi; i++) {
            lower = Math.max(lower, sq[i]);
        }
        return 0.5 * (Math.sqrt(lower) + Math.sqrt(upper));
    }

    /** Returns k distinct indices of [0, n) drawn uniformly (partial Fisher-Yates), sorted. */
    static int[] sampleWithoutReplacement(int n, int k, SplittableRandom random) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int t = 0; t < k; t++) {
            int j = t + random.nextInt(n - t);
            int tmp = idx[t];
            idx[t] = idx[j];
            idx[j] = tmp;
        }
        int[] out = java.util.Arrays.copyOf(idx, k);
        java.util.Arrays.sort(out);
        return out;
    }
}
