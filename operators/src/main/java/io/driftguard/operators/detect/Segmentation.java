package io.driftguard.operators.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Offline multiple change-point segmentation of a whole multivariate series {@code x[t][d]}: the
 * change points minimise a penalised Gaussian cost, searched exactly (PELT) or greedily (binary
 * segmentation).
 *
 * <p><b>Definition.</b> Every dimension is first standardised over the whole series (mean 0,
 * sample standard deviation 1; a constant dimension is only centred), so that dimensions of very
 * different scales weigh alike. A segmentation {@code 0 = tau_0 < tau_1 < ... < tau_k < tau_{k+1}
 * = n} (change point {@code tau_i} = the 0-based index of the first record of a new segment), with
 * every segment at least {@link #minSegment()} records long, has the penalised cost
 *
 * <pre>
 *   sum_{i=0..k} [ C(x[tau_i .. tau_{i+1})) + S(tau_{i+1} - tau_i) ]  +  k * beta
 * </pre>
 *
 * where {@code C} sums over dimensions the per-dimension segment cost of {@link Cost} (twice the
 * negative maximised Gaussian log-likelihood, up to constants common to every segmentation), and
 * {@link Penalty} fixes {@code beta} and the segment-length term {@code S}. With {@code p} the
 * number of parameters that change at a change point ({@code d} for {@link Cost#MEAN}, {@code 2d}
 * for {@link Cost#MEAN_VARIANCE}): BIC has {@code beta = (p + 1) log n}, {@code S = 0}; MBIC
 * (Zhang and Siegmund 2007) has {@code beta = (p + 2) log n}, {@code S(m) = d log m}. For {@code d
 * = 1} these are the penalties of the R changepoint package ({@code cpt.mean}, {@code
 * cpt.meanvar}, Killick and Eckley 2014).
 *
 * <p><b>Search.</b> {@link Search#PELT} (Killick, Fearnhead and Eckley 2012) returns a
 * segmentation of minimum penalised cost, exactly: optimal partitioning with the pruning rule
 * {@code F(s) + C'(s, t) + K >= F(t)}, where {@code K = -d max(0, log(n / 4))} bounds the MBIC
 * length term (the Gaussian costs never grow when a segment is split, so {@code K = 0} for BIC);
 * a pruned candidate is dropped only once it could have been replaced, {@link #minSegment()}
 * records later, so the minimum segment length does not break exactness. Cost O(n^2 d) in the
 * worst case, about O(n d) when the number of changes grows with {@code n}. {@link
 * Search#BINARY} (Scott and Knott 1974) splits, up to {@link #maxChanges()} times, the segment
 * whose best single split lowers {@code C + S} most; it keeps the first {@code q} splits for the
 * largest {@code q} at which every one of the first {@code q} reductions (each capped by the
 * previous one, as the changepoint package does) is at least {@code beta}. Cost O(Q n d). Its
 * candidate splits are set by {@link SplitRange}: {@link SplitRange#ALL} tries every split that
 * leaves {@link #minSegment()} records on both sides; {@link SplitRange#CHANGEPOINT_PACKAGE} tries
 * those of the R changepoint package's {@code BinSeg} (one record more on the left, none in the
 * first two or the last three records of the series), so that with the same cost and penalty it
 * returns the package's change points.
 *
 * <p><b>Costs and assumptions.</b> Records are independent and Gaussian within a segment, and
 * dimensions are independent. {@link Cost#MEAN}: unit variance after standardisation, segment
 * cost {@code sum (x - mean)^2}; the standardising deviation includes the mean changes, so the
 * noise is over-estimated on series with large changes (conservative). {@link
 * Cost#MEAN_VARIANCE}: segment cost {@code m log(2 pi v) + SS / v} with {@code SS} the sum of
 * squared deviations from the segment mean and {@code v = max(SS / m, }{@value
 * #VARIANCE_FLOOR}{@code )}: the maximum-likelihood variance, floored (in standardised units) so
 * that constant stretches have finite cost; it needs segments of at least 2 records. Non-finite
 * values are rejected: impute them before calling. A series shorter than {@code 2 minSegment}
 * has no change point.
 */
public final class Segmentation {

    /** The per-dimension Gaussian segment cost. */
    public enum Cost {
        /** Change in mean, unit variance after standardisation. */
        MEAN,
        /** Change in mean and variance. */
        MEAN_VARIANCE
    }

    /** The penalty per change point and per segment. */
    public enum Penalty {
        /** Schwarz's criterion: {@code (p + 1) log n} per change point. */
        BIC,
        /** Zhang and Siegmund's modified BIC: {@code (p + 2) log n} and {@code d log m}. */
        MBIC
    }

    /** How the segmentation is searched. */
    public enum Search {
        /** Exact minimum by pruned exact linear time search. */
        PELT,
        /** Greedy binary segmentation with at most {@link #maxChanges()} splits. */
        BINARY
    }

    /**
     * The splits binary segmentation tries in a segment {@code [from, to)} of a series of {@code
     * n} records; a split at {@code tau} makes {@code [from, tau)} and {@code [tau, to)}.
     */
    public enum SplitRange {
        /** {@code from + minSegment <= tau <= to - minSegment}. */
        ALL,
        /**
         * The R changepoint package's {@code BinSeg} (Killick and Eckley 2014): {@code from +
         * minSegment + 1 <= tau <= to - minSegment} and {@code 2 <= tau <= n - 3}. In the
         * package's 1-based terms a split after record {@code j = tau} is tried for {@code j} in
         * {@code 2 .. n - 3} when {@code j - start >= minseglen} and {@code end - j >= minseglen}.
         */
        CHANGEPOINT_PACKAGE
    }

    /** The smallest variance (standardised units) of {@link Cost#MEAN_VARIANCE}. */
    public static final double VARIANCE_FLOOR = 1e-6;

    private final Cost cost;
    private final Penalty penalty;
    private final Search search;
    private final int minSegment;
    private final int maxChanges;
    private final SplitRange splitRange;

    /**
     * A segmentation whose binary search tries every split ({@link SplitRange#ALL}).
     *
     * @param minSegment the shortest segment, at least 1 (2 for {@link Cost#MEAN_VARIANCE})
     * @param maxChanges the most change points binary segmentation places (at least 1); PELT
     *     ignores it
     */
    public Segmentation(
            Cost cost, Penalty penalty, Search search, int minSegment, int maxChanges) {
        this(cost, penalty, search, minSegment, maxChanges, SplitRange.ALL);
    }

    /**
     * A segmentation.
     *
     * @param minSegment the shortest segment, at least 1 (2 for {@link Cost#MEAN_VARIANCE})
     * @param maxChanges the most change points binary segmentation places (at least 1); PELT
     *     ignores it
     * @param splitRange the splits binary segmentation tries; PELT takes only {@link
     *     SplitRange#ALL}
     */
    public Segmentation(
            Cost cost,
            Penalty penalty,
            Search search,
            int minSegment,
            int maxChanges,
            SplitRange splitRange) {
        if (cost == null || penalty == null || search == null || splitRange == null) {
            throw new IllegalArgumentException(
                    "cost, penalty, search and splitRange must not be null");
        }
        if (search == Search.PELT && splitRange != SplitRange.ALL) {
            throw new IllegalArgumentException(
                    "splitRange " + splitRange + " applies to binary segmentation only");
        }
        int smallest = cost == Cost.MEAN_VARIANCE ? 2 : 1;
        if (minSegment < smallest) {
            throw new IllegalArgumentException(
                    String.format(
                            "minSegment must be >= %s for %s, got %s", smallest, cost, minSegment));
        }
        if (maxChanges < 1) {
            throw new IllegalArgumentException("maxChanges must be >= 1, got " + maxChanges);
        }
        this.cost = cost;
        this.penalty = penalty;
        this.search = search;
        this.minSegment = minSegment;
        this.maxChanges = maxChanges;
        this.splitRange = splitRange;
    }

    public Cost cost() {
        return cost;
    }

    public Penalty penalty() {
        return penalty;
    }

    public Search search() {
        return search;
    }

    /** The shortest segment, in records. */
    public int minSegment() {
        return minSegment;
    }

    /** The most change points binary segmentation places. */
    public int maxChanges() {
        return maxChanges;
    }

    /** The splits binary segmentation tries. */
    public SplitRange splitRange() {
        return splitRange;
    }

    /** The configuration in one line, for reports. */
    public String describe() {
        String how =
                search == Search.PELT
                        ? "PELT (exact)"
                        : "binary segmentation, at most "
                                + maxChanges
                                + " changes"
                                + (splitRange == SplitRange.CHANGEPOINT_PACKAGE
                                        ? " (R changepoint BinSeg split range)"
                                        : "");
        return String.format(
                Locale.ROOT,
                "offline segmentation: %s, Gaussian change in %s per dimension (standardised),"
                        + " %s penalty, minimum segment %d",
                how,
                cost == Cost.MEAN ? "mean" : "mean and variance",
                penalty,
                minSegment);
    }

    /**
     * The change points of {@code x[record][dimension]}: 0-based indices of the first record of
     * each segment after the first, increasing.
     *
     * @throws IllegalArgumentException on null or ragged rows, no dimension, or a non-finite value
     */
    public int[] changePoints(double[][] x) {
        SegmentCosts c = new SegmentCosts(x);
        if (c.n < 2 * minSegment) {
            return new int[0];
        }
        return search == Search.PELT ? pelt(c) : binary(c);
    }

    /**
     * The penalised cost (see the class summary) of the segmentation of {@code x} by {@code
     * changePoints}, which must be increasing, inside {@code (0, n)} and at least {@link
     * #minSegment()} apart and from either end.
     */
    public double objective(double[][] x, int[] changePoints) {
        SegmentCosts c = new SegmentCosts(x);
        int prev = 0;
        double total = 0;
        for (int i = 0; i <= changePoints.length; i++) {
            int next = i < changePoints.length ? changePoints[i] : c.n;
            if (next - prev < minSegment) {
                throw new IllegalArgumentException(
                        String.format(
                                "segment [%s, %s) is shorter than %s", prev, next, minSegment));
            }
            total += c.penalised(prev, next);
            prev = next;
        }
        return total + changePoints.length * c.beta;
    }

    private int[] pelt(SegmentCosts c) {
        int n = c.n;
        int m = minSegment;
        double[] best = new double[n + 1];
        int[] last = new int[n + 1];
        best[0] = -c.beta;
        // candidates for the start of the last segment, with the time from which each is pruned
        List<int[]> candidates = new ArrayList<>();
        candidates.add(new int[] {0, Integer.MAX_VALUE});
        double k = c.pruningBound;
        for (int t = m; t <= n; t++) {
            final int now = t;
            candidates.removeIf(s -> s[1] <= now);
            if (t - m >= m) {
                candidates.add(new int[] {t - m, Integer.MAX_VALUE});
            }
            double f = Double.POSITIVE_INFINITY;
            int arg = 0;
            for (int[] s : candidates) {
                double v = best[s[0]] + c.penalised(s[0], t) + c.beta;
                if (v < f) {
                    f = v;
                    arg = s[0];
                }
            }
            best[t] = f;
            last[t] = arg;
            for (int[] s : candidates) {
                if (best[s[0]] + c.penalised(s[0], t) + k >= f) {
                    s[1] = Math.min(s[1], t + m);
                }
            }
        }
        List<Integer> cps = new ArrayList<>();
        for (int t = last[n]; t > 0; t = last[t]) {
            cps.add(t);
        }
        int[] out = new int[cps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = cps.get(out.length - 1 - i);
        }
        return out;
    }

    private int[] binary(SegmentCosts c) {
        int n = c.n;
        int m = minSegment;
        boolean pkg = splitRange == SplitRange.CHANGEPOINT_PACKAGE;
        List<Integer> bounds = new ArrayList<>(List.of(0, n));
        int[] splits = new int[maxChanges];
        double[] gains = new double[maxChanges];
        int found = 0;
        double cap = Double.POSITIVE_INFINITY;
        while (found < maxChanges) {
            double bestGain = Double.NEGATIVE_INFINITY;
            int bestAt = -1;
            for (int b = 0; b + 1 < bounds.size(); b++) {
                int from = bounds.get(b);
                int to = bounds.get(b + 1);
                double whole = c.penalised(from, to);
                int lo = pkg ? Math.max(from + m + 1, 2) : from + m;
                int hi = pkg ? Math.min(to - m, n - 3) : to - m;
                for (int tau = lo; tau <= hi; tau++) {
                    double gain = whole - c.penalised(from, tau) - c.penalised(tau, to);
                    if (gain > bestGain) {
                        bestGain = gain;
                        bestAt = tau;
                    }
                }
            }
            if (bestAt < 0) {
                break;
            }
            cap = Math.min(cap, bestGain);
            splits[found] = bestAt;
            gains[found] = cap;
            found++;
            int pos = 0;
            while (bounds.get(pos) < bestAt) {
                pos++;
            }
            bounds.add(pos, bestAt);
        }
        int keep = 0;
        for (int q = 0; q < found; q++) {
            if (gains[q] >= c.beta) {
                keep = q + 1;
            }
        }
        int[] out = Arrays.copyOf(splits, keep);
        Arrays.sort(out);
        return out;
    }

    /** Prefix sums of the standardised series and the segment costs they give in O(d). */
    private final class SegmentCosts {
        final int n;
        final int d;
        final double beta;
        final double pruningBound;
        private final double[][] sum;
        private final double[][] sumSq;

        SegmentCosts(double[][] x) {
            if (x == null) {
                throw new IllegalArgumentException("series must not be null");
            }
            n = x.length;
            d = n == 0 ? 1 : checkedDimension(x);
            sum = new double[d][n + 1];
            sumSq = new double[d][n + 1];
            for (int f = 0; f < d; f++) {
                double mean = 0;
                for (double[] row : x) {
                    mean += row[f];
                }
                mean /= Math.max(1, n);
                double ss = 0;
                for (double[] row : x) {
                    ss += (row[f] - mean) * (row[f] - mean);
                }
                double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
                double scale = sd > 0 ? 1 / sd : 1;
                for (int t = 0; t < n; t++) {
                    double z = (x[t][f] - mean) * scale;
                    sum[f][t + 1] = sum[f][t] + z;
                    sumSq[f][t + 1] = sumSq[f][t] + z * z;
                }
            }
            int p = cost == Cost.MEAN ? d : 2 * d;
            double logN = Math.log(Math.max(n, 1));
            beta = penalty == Penalty.BIC ? (p + 1) * logN : (p + 2) * logN;
            pruningBound = penalty == Penalty.MBIC ? -d * Math.max(0, Math.log(n / 4.0)) : 0;
        }

        /** {@code C + S} of the segment {@code [from, to)}. */
        double penalised(int from, int to) {
            int m = to - from;
            double total = 0;
            for (int f = 0; f < d; f++) {
                double s = sum[f][to] - sum[f][from];
                double ss = Math.max(0, sumSq[f][to] - sumSq[f][from] - s * s / m);
                if (cost == Cost.MEAN) {
                    total += ss;
                } else {
                    double v = Math.max(ss / m, VARIANCE_FLOOR);
                    total += m * Math.log(2 * Math.PI * v) + ss / v;
                }
            }
            if (penalty == Penalty.MBIC) {
                total += d * Math.log(m);
            }
            return total;
        }

        private int checkedDimension(double[][] x) {
            if (x[0] == null || x[0].length == 0) {
                throw new IllegalArgumentException("row 0 must have at least one dimension");
            }
            int dim = x[0].length;
            for (int t = 0; t < x.length; t++) {
                if (x[t] == null || x[t].length != dim) {
                    throw new IllegalArgumentException(
                            String.format("row %s must have %s dimensions", t, dim));
                }
                for (int f = 0; f < dim; f++) {
                    if (!Double.isFinite(x[t][f])) {
                        throw new IllegalArgumentException(
                                String.format(
                                        "row %s dimension %s is not finite (%s): impute missing"
                                                + " values first",
                                        t, f, x[t][f]));
                    }
                }
            }
            return dim;
        }
    }
}
