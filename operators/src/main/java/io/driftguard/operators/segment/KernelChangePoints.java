package io.driftguard.operators.segment;

import io.driftguard.operators.stats.MedianHeuristic;
import java.util.ArrayList;
import java.util.List;

/**
 * Offline kernel change-point detection (Arlot, Celisse and Harchaoui 2019, JMLR 20; the KernelCPD
 * of the ruptures library with its Gaussian kernel and penalised search) on the delay embedding of
 * a series ({@link DelayEmbedding}): changes in the series' dynamics (shape, frequency,
 * autocorrelation), not only in its level, split it.
 *
 * <p><b>Cost.</b> With the Gaussian kernel k(x, y) = exp(-||x - y||^2 / (2 sigma^2)), sigma by
 * the median heuristic over the embedded points (all pairs of a uniform-stride subsample of at
 * most 1000 points), the cost of a segment [a, b) of embedded points is the within-segment
 * scatter of their kernel features, {@code C(a, b) = sum_i k(z_i, z_i) - (1 / (b - a)) sum_{i, j}
 * k(z_i, z_j)} (ruptures' CostRbf, up to the bandwidth convention). Splitting [a, b) at c lowers it
 * by {@code (L1 L2 / (L1 + L2)) MMD_b^2}, the biased MMD^2 between the two sides.
 *
 * <p><b>Search.</b> PELT (Killick, Fearnhead and Eckley 2012) minimises the sum of segment costs
 * plus {@code beta} per change exactly, with no cap on the number of changes; the kernel cost
 * satisfies PELT's pruning condition with constant 0. The double sums are updated column by
 * column: when point p = b - 1 joins, {@code S(a, b) = S(a, b - 1) + 2 sum_{i = a}^{b - 2} k(z_i,
 * z_p) + 1} for every start a still admissible, by one backward cumulative sum. Kernel values are
 * computed when needed and never stored, so memory is O(N D) and time at most O(N^2 D) for N
 * points of dimension D (less when PELT prunes).
 *
 * <p><b>Points.</b> The embedded points are the non-overlapping windows of the series: stride s =
 * m, so consecutive points share no values (overlapping windows are strongly dependent, and that
 * dependence makes spurious splits cheap). When the series would give more than {@code maxPoints}
 * points (default {@value #DEFAULT_MAX_POINTS}) the stride grows to s = ceil((n - m + 1) /
 * maxPoints), so N <= maxPoints and the time is at most O(maxPoints^2 D). A change between points
 * p - 1 and p (the window starting at record r = p s) is first placed at record r + floor(m / 2),
 * then refined to the record by {@link #refine}: among the records within one stride, the split of
 * the every-record windows around it (at most {@value #REFINE_POINTS}) that most lowers their
 * kernel cost, the windows straddling it left out.
 *
 * <p><b>Minimum segment.</b> {@code minWindows} windows (default {@value #DEFAULT_MIN_WINDOWS}),
 * i.e. at least {@code minWindows * m} records, and at least two points.
 *
 * <p><b>Penalty and check.</b> PELT runs with {@code beta = c * v * log(N)} per change ({@link
 * #penalty}): a BIC-like log(N), scaled by the kernel's null scale v = 1 - mean k(z_i, z_j) (the
 * kernel cost per point of the series taken as one segment), c = {@value #DEFAULT_PENALTY_SCALE}.
 * Each change found is then checked by a classifier two-sample score between its two adjacent
 * segments ({@link NeighbourScore}, the balanced accuracy of a leave-out 3-NN): while the weakest
 * change's score less {@code z / sqrt(L)} (L the points on its smaller side) is below {@code tau},
 * it is removed, with z = {@value #DEFAULT_SCORE_ALLOWANCE} and tau = {@value
 * #DEFAULT_SCORE_THRESHOLD}. The penalty alone lets a dependent series without change (an AR(2)
 * oscillation, an AR(1) with coefficient 0.5) split at a third to nine tenths of seeds; the check
 * brings every null family calibrated (white noise, AR(1) 0.5 and 0.9, an AR(2) oscillation,
 * noisy sines of period 7 and 20; 300, 2000 and 10000 records) to at most 1 series in 20 with a
 * change. See operators/README.md, "Offline segmentation".
 */
public final class KernelChangePoints {

    /** Default cap on the number of embedded points segmented. */
    public static final int DEFAULT_MAX_POINTS = 2000;

    /** Default minimum segment length, in windows. */
    public static final int DEFAULT_MIN_WINDOWS = 8;

    /** Default penalty constant c. */
    public static final double DEFAULT_PENALTY_SCALE = 1.0;

    /** Default threshold on a change's classifier margin. */
    public static final double DEFAULT_SCORE_THRESHOLD = 0.55;

    /** Default noise allowance z of the classifier margin, score - z / sqrt(L). */
    public static final double DEFAULT_SCORE_ALLOWANCE = 1.0;

    /**
     * The settings.
     *
     * @param window the embedding window m; 0 estimates it ({@link
     *     DelayEmbedding#estimateWindow})
     * @param penaltyScale the constant c of the penalty rule
     * @param maxPoints cap on the number of embedded points segmented
     * @param minWindows minimum segment length in windows
     * @param scoreThreshold a change is kept when its classifier score less the allowance is at
     *     least this (0 keeps every change PELT finds)
     * @param scoreAllowance the noise allowance z
     */
    public record Settings(
            int window,
            double penaltyScale,
            int maxPoints,
            int minWindows,
            double scoreThreshold,
            double scoreAllowance) {
        public Settings {
            if (window < 0) {
                throw new IllegalArgumentException("window must be at least 0, got " + window);
            }
            if (!(penaltyScale >= 0) || Double.isInfinite(penaltyScale)) {
                throw new IllegalArgumentException(
                        "penalty scale must be finite and at least 0, got " + penaltyScale);
            }
            if (maxPoints < 10) {
                throw new IllegalArgumentException("maxPoints must be at least 10, got " + maxPoints);
            }
            if (minWindows < 1) {
                throw new IllegalArgumentException("minWindows must be positive, got " + minWindows);
            }
            if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
                throw new IllegalArgumentException(
                        "score threshold must be in [0, 1], got " + scoreThreshold);
            }
            if (!(scoreAllowance >= 0) || Double.isInfinite(scoreAllowance)) {
                throw new IllegalArgumentException(
                        "score allowance must be finite and at least 0, got " + scoreAllowance);
            }
        }

        /** Estimated window and the calibrated defaults. */
        public static Settings defaults() {
            return new Settings(
                    0, DEFAULT_PENALTY_SCALE, DEFAULT_MAX_POINTS, DEFAULT_MIN_WINDOWS,
                    DEFAULT_SCORE_THRESHOLD, DEFAULT_SCORE_ALLOWANCE);
        }

        public Settings withWindow(int m) {
            return new Settings(m, penaltyScale, maxPoints, minWindows, scoreThreshold, scoreAllowance);
        }

        public Settings withPenaltyScale(double c) {
            return new Settings(window, c, maxPoints, minWindows, scoreThreshold, scoreAllowance);
        }

        public Settings withMaxPoints(int cap) {
            return new Settings(window, penaltyScale, cap, minWindows, scoreThreshold, scoreAllowance);
        }

        public Settings withMinWindows(int w) {
            return new Settings(window, penaltyScale, maxPoints, w, scoreThreshold, scoreAllowance);
        }

        /** Without the classifier check: every change of the penalised optimum is kept. */
        public Settings withoutScoreCheck() {
            return new Settings(window, penaltyScale, maxPoints, minWindows, 0, 0);
        }

        public Settings withScoreCheck(double threshold, double allowance) {
            return new Settings(window, penaltyScale, maxPoints, minWindows, threshold, allowance);
        }

        /** One line for reports. */
        public String describe() {
            return String.format(
                    java.util.Locale.ROOT,
                    "kernel change points on delay embeddings: window %s, stride one window,"
                            + " Gaussian kernel (median heuristic), PELT with penalty %.3g * v *"
                            + " log(N), segments of at least %d windows, at most %d points, k-NN"
                            + " check: balanced accuracy - %.3g / sqrt(L) >= %.3g",
                    window == 0
                            ? "estimated (ACF period, else decorrelation time of the ACF or of"
                                    + " the differences)"
                            : Integer.toString(window),
                    penaltyScale, minWindows, maxPoints, scoreAllowance, scoreThreshold);
        }
    }

    private final Settings settings;

    public KernelChangePoints(Settings settings) {
        this.settings = settings;
    }

    public KernelChangePoints() {
        this(Settings.defaults());
    }

    public Settings settings() {
        return settings;
    }

    /** Segments the series {@code x} (n records x d features). */
    public SegmentationResult segment(double[][] x) {
        int n = x.length;
        if (n == 0) {
            throw new IllegalArgumentException("empty series");
        }
        int d = x[0].length;
        for (double[] row : x) {
            if (row.length != d) {
                throw new IllegalArgumentException("ragged series: rows of " + d + " and " + row.length);
            }
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("non-finite value in the series");
                }
            }
        }
        int m = settings.window() > 0 ? settings.window() : DelayEmbedding.estimateWindow(x);
        m = Math.min(m, n);
        int total = n - m + 1;
        int stride = Math.max(m, (total + settings.maxPoints() - 1) / settings.maxPoints());
        double[][] zs = DelayEmbedding.standardise(x);
        int lagStep = DelayEmbedding.lagStep(m);
        double[][] z = DelayEmbedding.embed(zs, m, stride, lagStep);
        int count = z.length;
        int minRecords = settings.minWindows() * m;
        int minPoints = Math.max(2, (minRecords + stride - 1) / stride);
        if (count < 2 * minPoints) {
            return new SegmentationResult(n, m, stride, count, minRecords, Double.NaN, Double.NaN, 0, List.of());
        }
        double sigma = bandwidth(z);
        Points pts = new Points(z, sigma);
        double beta = penalty(settings.penaltyScale(), pts);
        Pelt pelt = pelt(pts, beta, minPoints);
        int[] starts = pelt.starts();
        double[][] merged =
                NeighbourScore.merge(
                        pts.flat, pts.dim, count, starts, settings.scoreThreshold(),
                        settings.scoreAllowance());
        starts = new int[merged[0].length];
        for (int k = 0; k < starts.length; k++) {
            starts[k] = (int) merged[0][k];
        }
        int[] at = new int[starts.length];
        for (int k = 0; k < starts.length; k++) {
            at[k] = record(starts[k], stride, m);
        }
        for (int k = 0; k < starts.length; k++) {
            int lo = k == 0 ? 0 : at[k - 1];
            int hi = k + 1 < starts.length ? at[k + 1] : n;
            at[k] = refine(zs, m, lagStep, pts.gamma, at[k], stride, lo, hi);
        }
        List<SegmentationResult.Change> changes = new ArrayList<>();
        for (int k = 0; k < starts.length; k++) {
            int a = k == 0 ? 0 : starts[k - 1];
            int c = starts[k];
            int b = k + 1 < starts.length ? starts[k + 1] : count;
            double[] st = pts.split(a, c, b);
            changes.add(new SegmentationResult.Change(at[k], st[0], st[1], merged[1][k], 0, 0));
        }
        // segment lengths in records
        List<SegmentationResult.Change> out = new ArrayList<>();
        for (int k = 0; k < changes.size(); k++) {
            int prev = k == 0 ? 0 : changes.get(k - 1).index();
            int next = k + 1 < changes.size() ? changes.get(k + 1).index() : n;
            SegmentationResult.Change c = changes.get(k);
            out.add(new SegmentationResult.Change(
                    c.index(), c.costReduction(), c.mmd2(), c.score(), c.index() - prev,
                    next - c.index()));
        }
        return new SegmentationResult(n, m, stride, count, minRecords, sigma, beta, pelt.cost(), List.copyOf(out));
    }

    /** Points used by {@link #refine} at most. */
    static final int REFINE_POINTS = 400;

    /**
     * The record of a change found at window resolution ({@code guess}), refined to record
     * resolution: among the records tau within one stride of the guess (and inside (lo, hi), the
     * neighbouring changes), the one whose split most lowers the kernel cost of the windows of
     * the region [max(lo, guess - 5 w), min(hi, guess + 5 w)), w = max(m, stride), taken at every
     * record (at most {@value #REFINE_POINTS} windows: a coarser step beyond), the windows ending
     * before tau on one side, those starting at or after tau on the other and those straddling tau
     * left out. Cost O(P^2 D) for P windows, by 2-D prefix sums of their Gram matrix.
     */
    static int refine(
            double[][] zs, int m, int lagStep, double gamma, int guess, int stride, int lo, int hi) {
        int w = Math.max(m, stride);
        int from = Math.max(lo, guess - 5 * w);
        int to = Math.min(hi, guess + 5 * w);
        int span = to - m - from + 1;
        if (span < 8) {
            return guess;
        }
        int step = Math.max(1, (span + REFINE_POINTS - 1) / REFINE_POINTS);
        double[][] region = new double[to - from][];
        System.arraycopy(zs, from, region, 0, to - from);
        double[][] win = DelayEmbedding.embed(region, m, step, lagStep);
        int p = win.length;
        int dim = win[0].length;
        double[] q = new double[(p + 1) * (p + 1)];
        for (int i = 0; i < p; i++) {
            double rowRun = 0;
            for (int j = 0; j < p; j++) {
                double d2 = 0;
                for (int k = 0; k < dim; k++) {
                    double diff = win[i][k] - win[j][k];
                    d2 += diff * diff;
                }
                rowRun += Math.exp(-gamma * d2);
                q[(i + 1) * (p + 1) + j + 1] = q[i * (p + 1) + j + 1] + rowRun;
            }
        }
        int best = guess;
        double bestGain = Double.NEGATIVE_INFINITY;
        for (int tau = Math.max(lo + 1, guess - stride); tau <= Math.min(hi - 1, guess + stride); tau++) {
            // left: windows i with from + i * step + m <= tau; right: from + i * step >= tau
            int left = tau - m - from < 0 ? 0 : (tau - m - from) / step + 1;
            int right = Math.max(0, (tau - from + step - 1) / step);
            left = Math.min(left, p);
            if (left < 2 || p - right < 2) {
                continue;
            }
            double sl = block(q, p, 0, left, 0, left);
            double sr = block(q, p, right, p, right, p);
            double x = block(q, p, 0, left, right, p);
            int l2 = p - right;
            double gain = sl / left + sr / l2 - (sl + sr + 2 * x) / (left + l2);
            if (gain > bestGain) {
                bestGain = gain;
                best = tau;
            }
        }
        return best;
    }

    private static double block(double[] q, int p, int a, int b, int c, int e) {
        int w = p + 1;
        return q[b * w + e] - q[a * w + e] - q[b * w + c] + q[a * w + c];
    }

    /** The record at which a change starting at embedded point p is reported. */
    static int record(int p, int stride, int m) {
        return p * stride + m / 2;
    }

    /** Median-heuristic sigma over all pairs of a uniform-stride subsample of at most 1000 points. */
    static double bandwidth(double[][] z) {
        int cap = MedianHeuristic.DEFAULT_MAX_POINTS;
        double[][] sub = z;
        if (z.length > cap) {
            sub = new double[cap][];
            for (int i = 0; i < cap; i++) {
                sub[i] = z[(int) ((long) i * z.length / cap)];
            }
        }
        return MedianHeuristic.sigmaOfAllPairs(sub);
    }

    /**
     * The penalty per change, {@code c * v * log(N)}: N points and v = 1 - mean off-diagonal
     * kernel value (over a uniform subsample of at most 1000 points), the kernel cost per point of
     * one segment holding every point, which sets the scale of the cost reduction of a spurious
     * split.
     */
    static double penalty(double c, Points pts) {
        int count = pts.count;
        double v = pts.nullScale();
        return c * v * Math.log(count);
    }

    /** The PELT result: segment starts (the changes) and the optimal penalised cost. */
    record Pelt(int[] starts, double cost) {}

    /** Exact penalised kernel segmentation of the points with PELT pruning. */
    static Pelt pelt(Points pts, double beta, int minSize) {
        int count = pts.count;
        double[] f = new double[count + 1];
        int[] last = new int[count + 1];
        double[] s = new double[count + 1];
        int[] adm = new int[count + 1];
        int admSize = 0;
        f[0] = -beta;
        int lo = 0;
        for (int b = 1; b <= count; b++) {
            int p = b - 1;
            double run = 0;
            for (int i = b - 2; i >= lo; i--) {
                run += pts.kernel(i, p);
                s[i] += 2 * run + 1;
            }
            s[p] = 1;
            int t = b - minSize;
            if (t == 0 || t >= minSize) {
                adm[admSize++] = t;
            }
            if (admSize == 0) {
                f[b] = Double.POSITIVE_INFINITY;
                continue;
            }
            double best = Double.POSITIVE_INFINITY;
            int arg = -1;
            for (int k = 0; k < admSize; k++) {
                int a = adm[k];
                if (!(f[a] < Double.POSITIVE_INFINITY)) {
                    continue;
                }
                int len = b - a;
                double v = f[a] + len - s[a] / len + beta;
                if (v < best) {
                    best = v;
                    arg = a;
                }
            }
            f[b] = best;
            last[b] = arg;
            // prune: keep a with F(a) + C(a, b) <= F(b)
            int kept = 0;
            for (int k = 0; k < admSize; k++) {
                int a = adm[k];
                int len = b - a;
                if (f[a] + len - s[a] / len <= best + 1e-9 * Math.max(1, Math.abs(best))) {
                    adm[kept++] = a;
                }
            }
            admSize = kept;
            lo = admSize > 0 ? adm[0] : Math.max(0, b + 1 - minSize);
        }
        List<Integer> starts = new ArrayList<>();
        int b = count;
        while (b > 0) {
            int a = last[b];
            if (a > 0) {
                starts.add(0, a);
            }
            b = a;
        }
        return new Pelt(starts.stream().mapToInt(Integer::intValue).toArray(), f[count]);
    }

    /** Embedded points with their kernel. */
    static final class Points {
        final int count;
        final int dim;
        final double[] flat;
        final double gamma;

        Points(double[][] z, double sigma) {
            this.count = z.length;
            this.dim = count == 0 ? 0 : z[0].length;
            this.flat = new double[count * dim];
            for (int i = 0; i < count; i++) {
                System.arraycopy(z[i], 0, flat, i * dim, dim);
            }
            this.gamma = 1 / (2 * sigma * sigma);
        }

        double kernel(int i, int j) {
            double d2 = 0;
            int oi = i * dim;
            int oj = j * dim;
            for (int k = 0; k < dim; k++) {
                double diff = flat[oi + k] - flat[oj + k];
                d2 += diff * diff;
            }
            return Math.exp(-gamma * d2);
        }

        /** Sum of k over [a, b) x [c, e). */
        double block(int a, int b, int c, int e) {
            double sum = 0;
            for (int i = a; i < b; i++) {
                for (int j = c; j < e; j++) {
                    sum += kernel(i, j);
                }
            }
            return sum;
        }

        /** Sum of k over [a, b) x [a, b), diagonal included, by symmetry. */
        double within(int a, int b) {
            double sum = b - a;
            for (int i = a; i < b; i++) {
                for (int j = i + 1; j < b; j++) {
                    sum += 2 * kernel(i, j);
                }
            }
            return sum;
        }

        /**
         * {cost reduction, unbiased MMD^2} of splitting [a, b) at c; sides of more than 1000 points
         * are thinned to 1000 by a uniform stride for the MMD^2 (the cost reduction is exact).
         */
        double[] split(int a, int c, int b) {
            int l1 = c - a;
            int l2 = b - c;
            double s1 = within(a, c);
            double s2 = within(c, b);
            double x = block(a, c, c, b);
            double reduction = s1 / l1 + s2 / l2 - (s1 + s2 + 2 * x) / (l1 + l2);
            double mmd2 = Double.NaN;
            if (l1 >= 2 && l2 >= 2) {
                mmd2 = (s1 - l1) / ((double) l1 * (l1 - 1))
                        + (s2 - l2) / ((double) l2 * (l2 - 1))
                        - 2 * x / ((double) l1 * l2);
            }
            return new double[] {reduction, mmd2};
        }

        /**
         * 1 - mean k(z_i, z_j) over pairs of a uniform subsample of at most 1000 points: the
         * kernel cost per point of the whole series as one segment.
         */
        double nullScale() {
            int cap = Math.min(count, 1000);
            double sum = 0;
            long pairs = 0;
            for (int u = 0; u < cap; u++) {
                int i = (int) ((long) u * count / cap);
                for (int w = u + 1; w < cap; w++) {
                    int j = (int) ((long) w * count / cap);
                    sum += kernel(i, j);
                    pairs++;
                }
            }
            return pairs == 0 ? 1 : 1 - sum / pairs;
        }
    }

    /** The kernel cost of points [a, b) by a direct double loop (for tests). */
    static double segmentCost(double[][] z, double sigma, int a, int b) {
        Points pts = new Points(z, sigma);
        double sum = 0;
        for (int i = a; i < b; i++) {
            for (int j = a; j < b; j++) {
                sum += pts.kernel(i, j);
            }
        }
        return (b - a) - sum / (b - a);
    }
}
