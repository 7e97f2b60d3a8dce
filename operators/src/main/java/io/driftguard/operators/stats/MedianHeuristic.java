package io.driftguard.operators.stats;

import java.util.SplittableRandom;

/**
 * The median heuristic for the Gaussian kernel bandwidth: sigma = median of ||z_i - z_j|| over
 * pairs i < j of the pooled sample Z = X u Y.
 *
 * <p>When Z has more than {@code maxPoints} (at least 1000, default 1000) points, the median is
 * taken over a seeded uniform subsample of exactly {@code maxPoints} points without replacement.
 * With an even number of pairs the median is the mean of the two middle distances. When the median
 * is 0 (more than half of the pairs coincide) sigma is 1. Cost O(min(N, maxPoints)^2 d) time; the
 * median is selected exactly in expected linear time by sample bracketing, which keeps only a
 * few percent of the distances in memory. Distances are computed by direct differences (no
 * cancellation).
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
        return sigmaOfFlat(flat, size, d, BRACKET_MARGIN_SDS);
    }

    /**
     * The median over all pairs; from {@link #BRACKET_MIN_PAIRS} pairs on, by sample bracketing
     * (Floyd and Rivest): the squared distances of {@link #BRACKET_SAMPLE} random pairs give a
     * range [lo, hi] that holds the middle rank unless the sample is off by more than {@code
     * marginSds} standard deviations of a sample quantile; one pass over all pairs then counts
     * those below lo and keeps those inside, and the middle rank is selected among the kept ones.
     * The result is exact either way: when the range misses the middle rank, every distance is
     * stored and selected from (about once in 16,000 calls at the default margin). No pair's
     * distance is stored otherwise, so memory is O(size * d + kept).
     */
    static double sigmaOfFlat(double[] flat, int size, int d, double marginSds) {
        Checks.checkArgument(size >= 2, "need at least two points, got %s", size);
        long pairCount = (long) size * (size - 1) / 2;
        Checks.checkArgument(
                pairCount <= Integer.MAX_VALUE - 8,
                "%s points make %s pairs, more than an array holds; subsample (maxPoints)",
                size,
                pairCount);
        int pairs = (int) pairCount;
        // Feature columns, so that each row's distances are d vectorisable passes over
        // contiguous memory; each distance still adds its squared differences in feature order
        // starting from the first, as a per-pair loop would.
        double[][] cols = new double[d][size];
        for (int i = 0; i < size; i++) {
            for (int f = 0; f < d; f++) {
                cols[f][i] = flat[i * d + f];
            }
        }
        double median =
                pairs >= BRACKET_MIN_PAIRS
                        ? bracketedMedian(cols, size, pairs, marginSds)
                        : medianOfSquares(allSquares(cols, size));
        return median > 0 ? median : 1.0;
    }

    /** Pairs from which the median is found by sample bracketing rather than from all stored. */
    static final int BRACKET_MIN_PAIRS = 16384;

    /** Sampled pairs that place the bracket. */
    static final int BRACKET_SAMPLE = 2048;

    /** Half-width of the bracket in standard deviations of the sample quantile's rank. */
    static final double BRACKET_MARGIN_SDS = 4.0;

    private static final long BRACKET_SEED = 0x6d656469616eL;

    /** Calls whose bracket missed the middle rank (for tests). */
    static final java.util.concurrent.atomic.LongAdder BRACKET_MISSES =
            new java.util.concurrent.atomic.LongAdder();

    private static double bracketedMedian(double[][] cols, int size, int pairs, double marginSds) {
        int k = (pairs - 1) / 2; // the median's rank, or the lower of the two middle ranks
        boolean even = (pairs & 1) == 0;
        double[] sample = new double[BRACKET_SAMPLE];
        SplittableRandom random = new SplittableRandom(BRACKET_SEED);
        for (int t = 0; t < sample.length; t++) {
            int i = random.nextInt(size);
            int j = random.nextInt(size - 1);
            sample[t] = squaredDistance(cols, i, j >= i ? j + 1 : j);
        }
        // The sample quantile's rank has standard deviation about sqrt(S q (1 - q)) <= sqrt(S) / 2.
        double centre = (k + 0.5) / pairs * sample.length;
        double margin = marginSds * 0.5 * Math.sqrt(sample.length);
        int a = (int) Math.floor(centre - margin);
        int b = (int) Math.ceil(centre + margin);
        double lo = a < 0 ? Double.NEGATIVE_INFINITY : Selection.select(sample, a);
        double hi = b >= sample.length ? Double.POSITIVE_INFINITY : Selection.select(sample, b);

        double[] row = new double[size];
        double[] kept = new double[Math.max(size, (int) Math.min(pairs, 2L * pairs * (b - a + 1) / sample.length))];
        int n = 0;
        int below = 0;
        for (int i = 0; i < size - 1; i++) {
            rowSquares(cols, i, size, row);
            if (n + size > kept.length) {
                kept = java.util.Arrays.copyOf(kept, Math.max(2 * kept.length, n + size));
            }
            // Branch-free: every value is written, and the slot is kept only when in range.
            for (int j = i + 1; j < size; j++) {
                double v = row[j];
                kept[n] = v;
                n += (v >= lo) & (v <= hi) ? 1 : 0;
                below += v < lo ? 1 : 0;
            }
        }
        if (below > k || below + n < k + (even ? 2 : 1)) {
            BRACKET_MISSES.increment();
            return medianOfSquares(allSquares(cols, size));
        }
        // the middle rank(s) among the kept values, which span a narrow range: a histogram over it
        // leaves a handful of values per bucket
        return medianOfSquares(java.util.Arrays.copyOf(kept, n), k - below, even);
    }

    /** Squared distances of all pairs i < j, row by row. */
    private static double[] allSquares(double[][] cols, int size) {
        double[] sq = new double[(int) ((long) size * (size - 1) / 2)];
        double[] row = new double[size];
        int t = 0;
        for (int i = 0; i < size - 1; i++) {
            rowSquares(cols, i, size, row);
            System.arraycopy(row, i + 1, sq, t, size - i - 1);
            t += size - i - 1;
        }
        return sq;
    }

    /** Writes the squared distance of points i and j to out[j] for every j > i. */
    private static void rowSquares(double[][] cols, int i, int size, double[] out) {
        KernelMath.squaredDistances(cols, i, cols, i + 1, size, out);
    }

    private static double squaredDistance(double[][] cols, int i, int j) {
        double s = 0;
        for (double[] c : cols) {
            double diff = c[j] - c[i];
            s += diff * diff;
        }
        return s;
    }

    /** Median of sqrt(sq[i]); may reorder {@code sq}. */
    static double medianOfSquares(double[] sq) {
        int len = sq.length;
        return medianOfSquares(sq, (len - 1) / 2, (len & 1) == 0);
    }

    /**
     * sqrt of sq's value of rank r, or with {@code pair} the mean of sqrt of ranks r and r + 1
     * (0-based); may reorder {@code sq}.
     */
    private static double medianOfSquares(double[] sq, int r, boolean pair) {
        if (sq.length >= Selection.BUCKETED_MIN_LENGTH) {
            if (!pair) {
                return Math.sqrt(Selection.bucketSelect(sq, r));
            }
            double[] two = Selection.bucketSelectAdjacent(sq, r);
            return 0.5 * (Math.sqrt(two[0]) + Math.sqrt(two[1]));
        }
        double lower = Selection.select(sq, r);
        if (!pair) {
            return Math.sqrt(lower);
        }
        // After selection every element right of r is >= sq[r]; the next rank is their minimum.
        double upper = sq[r + 1];
        for (int i = r + 2; i < sq.length; i++) {
            upper = Math.min(upper, sq[i]);
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
