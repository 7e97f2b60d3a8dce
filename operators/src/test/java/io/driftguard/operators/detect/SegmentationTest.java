package io.driftguard.operators.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.operators.detect.Segmentation.Cost;
import io.driftguard.operators.detect.Segmentation.Penalty;
import io.driftguard.operators.detect.Segmentation.Search;
import io.driftguard.operators.detect.Segmentation.SplitRange;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentationTest {

    private static final Segmentation BINSEG_MEAN_MBIC =
            new Segmentation(Cost.MEAN, Penalty.MBIC, Search.BINARY, 1, 5);

    // ---- an independent statement of the penalised cost, straight from the definitions ----

    private static double[][] standardised(double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[][] z = new double[n][d];
        for (int f = 0; f < d; f++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[f] / n;
            }
            double ss = 0;
            for (double[] row : x) {
                ss += (row[f] - mean) * (row[f] - mean);
            }
            double sd = Math.sqrt(ss / (n - 1));
            for (int t = 0; t < n; t++) {
                z[t][f] = (x[t][f] - mean) / (sd > 0 ? sd : 1);
            }
        }
        return z;
    }

    private static double segmentCost(double[][] z, int from, int to, Cost cost, Penalty pen) {
        int m = to - from;
        int d = z[0].length;
        double total = 0;
        for (int f = 0; f < d; f++) {
            double mean = 0;
            for (int t = from; t < to; t++) {
                mean += z[t][f];
            }
            mean /= m;
            double ss = 0;
            for (int t = from; t < to; t++) {
                ss += (z[t][f] - mean) * (z[t][f] - mean);
            }
            if (cost == Cost.MEAN) {
                total += ss;
            } else {
                double v = Math.max(ss / m, Segmentation.VARIANCE_FLOOR);
                total += m * Math.log(2 * Math.PI * v) + ss / v;
            }
        }
        return pen == Penalty.MBIC ? total + d * Math.log(m) : total;
    }

    private static double beta(int n, int d, Cost cost, Penalty pen) {
        int p = cost == Cost.MEAN ? d : 2 * d;
        return (pen == Penalty.BIC ? p + 1 : p + 2) * Math.log(n);
    }

    private static double referenceObjective(
            double[][] x, List<Integer> cps, Cost cost, Penalty pen) {
        double[][] z = standardised(x);
        double total = cps.size() * beta(x.length, x[0].length, cost, pen);
        int prev = 0;
        for (int i = 0; i <= cps.size(); i++) {
            int next = i < cps.size() ? cps.get(i) : x.length;
            total += segmentCost(z, prev, next, cost, pen);
            prev = next;
        }
        return total;
    }

    /** Minimum over every admissible segmentation, by enumerating all subsets of cut points. */
    private static double exhaustiveMinimum(double[][] x, int minSeg, Cost cost, Penalty pen) {
        int n = x.length;
        double best = Double.POSITIVE_INFINITY;
        for (int mask = 0; mask < 1 << (n - 1); mask++) {
            List<Integer> cps = new ArrayList<>();
            int prev = 0;
            boolean ok = true;
            for (int t = 1; t < n; t++) {
                if ((mask & (1 << (t - 1))) != 0) {
                    ok &= t - prev >= minSeg;
                    cps.add(t);
                    prev = t;
                }
            }
            ok &= n - prev >= minSeg;
            if (ok) {
                best = Math.min(best, referenceObjective(x, cps, cost, pen));
            }
        }
        return best;
    }

    /** Minimum by unpruned optimal partitioning (Jackson et al. 2005), O(n^2) segment costs. */
    private static double optimalPartitioning(double[][] x, int minSeg, Cost cost, Penalty pen) {
        int n = x.length;
        double[][] z = standardised(x);
        double b = beta(n, x[0].length, cost, pen);
        double[] f = new double[n + 1];
        java.util.Arrays.fill(f, Double.POSITIVE_INFINITY);
        f[0] = -b;
        for (int t = minSeg; t <= n; t++) {
            for (int s = 0; s <= t - minSeg; s++) {
                if (s == 0 || s >= minSeg) {
                    f[t] = Math.min(f[t], f[s] + segmentCost(z, s, t, cost, pen) + b);
                }
            }
        }
        return f[n];
    }

    // ---- data ----

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Piecewise Gaussian: segment i starts at {@code starts[i]} with the given mean and sd. */
    private static double[][] piecewise(
            int n, int[] starts, double[] means, double[] sds, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][d];
        int seg = 0;
        for (int t = 0; t < n; t++) {
            while (seg + 1 < starts.length && t >= starts[seg + 1]) {
                seg++;
            }
            for (int f = 0; f < d; f++) {
                x[t][f] = means[seg] + sds[seg] * gaussian(r);
            }
        }
        return x;
    }

    private static double[][] column(double... v) {
        double[][] x = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            x[i][0] = v[i];
        }
        return x;
    }

    private static List<Integer> list(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) {
            l.add(v);
        }
        return l;
    }

    // ---- exactness ----

    @Test
    void peltReachesTheExhaustiveMinimumOnSmallSeries() {
        int n = 12;
        for (Cost cost : Cost.values()) {
            for (Penalty pen : Penalty.values()) {
                for (int minSeg = cost == Cost.MEAN ? 1 : 2; minSeg <= 3; minSeg++) {
                    for (int d = 1; d <= 2; d++) {
                        for (long seed = 1; seed <= 6; seed++) {
                            double[][] x =
                                    piecewise(
                                            n, new int[] {0, 4, 8}, new double[] {0, 2, -1},
                                            new double[] {0.3, 1, 0.5}, d, seed);
                            Segmentation seg =
                                    new Segmentation(cost, pen, Search.PELT, minSeg, 1);
                            int[] cps = seg.changePoints(x);
                            double expected = exhaustiveMinimum(x, minSeg, cost, pen);
                            String what = cost + " " + pen + " m=" + minSeg + " d=" + d + " #" + seed;
                            assertThat(referenceObjective(x, list(cps), cost, pen))
                                    .as(what)
                                    .isCloseTo(expected, within(1e-9 * (1 + Math.abs(expected))));
                            assertThat(seg.objective(x, cps))
                                    .as(what)
                                    .isCloseTo(expected, within(1e-9 * (1 + Math.abs(expected))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void peltMatchesUnprunedOptimalPartitioningOnLongerSeries() {
        // n large enough that the MBIC pruning bound log(n / 4) is in play
        int n = 150;
        for (Cost cost : Cost.values()) {
            for (Penalty pen : Penalty.values()) {
                for (int minSeg : new int[] {2, 5}) {
                    for (long seed = 1; seed <= 3; seed++) {
                        double[][] x =
                                piecewise(
                                        n, new int[] {0, 30, 37, 90, 120},
                                        new double[] {0, 1.5, 0, -1, -1},
                                        new double[] {1, 1, 0.5, 0.5, 2}, 2, seed);
                        Segmentation seg = new Segmentation(cost, pen, Search.PELT, minSeg, 1);
                        double expected = optimalPartitioning(x, minSeg, cost, pen);
                        double got = referenceObjective(x, list(seg.changePoints(x)), cost, pen);
                        assertThat(got)
                                .as("%s %s m=%s #%s", cost, pen, minSeg, seed)
                                .isCloseTo(expected, within(1e-8 * (1 + Math.abs(expected))));
                    }
                }
            }
        }
    }

    @Test
    void binarySegmentationNeverBeatsTheOptimumAndRespectsItsLimits() {
        for (long seed = 1; seed <= 10; seed++) {
            double[][] x =
                    piecewise(
                            60, new int[] {0, 10, 20, 30, 40, 50},
                            new double[] {0, 3, 0, 3, 0, 3}, new double[] {1, 1, 1, 1, 1, 1}, 1,
                            seed);
            for (int q = 1; q <= 6; q++) {
                Segmentation bs = new Segmentation(Cost.MEAN, Penalty.MBIC, Search.BINARY, 3, q);
                int[] cps = bs.changePoints(x);
                assertThat(cps.length).isLessThanOrEqualTo(q);
                assertThat(cps).isSorted();
                assertThat(bs.objective(x, cps))
                        .isGreaterThanOrEqualTo(
                                optimalPartitioning(x, 3, Cost.MEAN, Penalty.MBIC) - 1e-9);
            }
        }
    }

    // ---- recovery ----

    @Test
    void recoversMeanChangesWithinTwoRecords() {
        int[] truth = {100, 180, 260};
        for (Search search : Search.values()) {
            int close = 0;
            int seeds = 40;
            for (long seed = 1; seed <= seeds; seed++) {
                double[][] x =
                        piecewise(
                                350, new int[] {0, 100, 180, 260}, new double[] {0, 3.5, 0, -3},
                                new double[] {1, 1, 1, 1}, 1, seed);
                int[] cps =
                        new Segmentation(Cost.MEAN, Penalty.MBIC, search, 1, 5).changePoints(x);
                assertWithin(cps, truth, 5, search + " #" + seed);
                for (int i = 0; i < truth.length; i++) {
                    close += Math.abs(cps[i] - truth[i]) <= 2 ? 1 : 0;
                }
            }
            // the location error of a 3-sd shift exceeds 2 records now and then, by chance
            assertThat(close).as(search.toString()).isGreaterThanOrEqualTo(seeds * 3 * 95 / 100);
        }
    }

    @Test
    void recoversVarianceChangesWithTheMeanAndVarianceCost() {
        int[] truth = {150, 300};
        for (Search search : Search.values()) {
            for (long seed = 1; seed <= 20; seed++) {
                double[][] x =
                        piecewise(
                                450, new int[] {0, 150, 300}, new double[] {5, 5, 5},
                                new double[] {1, 5, 1}, 1, seed);
                int[] cps =
                        new Segmentation(Cost.MEAN_VARIANCE, Penalty.MBIC, search, 2, 5)
                                .changePoints(x);
                // a variance change is located less sharply than a mean change
                assertWithin(cps, truth, 4, search + " #" + seed);
            }
        }
    }

    @Test
    void dimensionsOfVeryDifferentScalesWeighAlike() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 300;
        double[][] x = new double[n][3];
        for (int t = 0; t < n; t++) {
            x[t][0] = 1e9 + 1e6 * gaussian(r); // huge scale, no change
            x[t][1] = 1e-6 * (gaussian(r) + (t >= 120 ? 3 : 0)); // tiny scale, a change
            x[t][2] = 42; // constant
        }
        for (Search search : Search.values()) {
            int[] cps = new Segmentation(Cost.MEAN, Penalty.MBIC, search, 1, 5).changePoints(x);
            assertWithin(cps, new int[] {120}, 2, search.toString());
        }
    }

    private static void assertWithin(int[] cps, int[] truth, int margin, String what) {
        assertThat(cps).as(what).hasSize(truth.length);
        for (int i = 0; i < truth.length; i++) {
            assertThat(cps[i]).as(what).isBetween(truth[i] - margin, truth[i] + margin);
        }
    }

    // ---- no change ----

    @Test
    void pureNoiseRarelyGivesAChange() {
        int series = 200;
        for (Segmentation seg :
                List.of(
                        BINSEG_MEAN_MBIC,
                        new Segmentation(Cost.MEAN, Penalty.MBIC, Search.PELT, 1, 1),
                        new Segmentation(Cost.MEAN_VARIANCE, Penalty.MBIC, Search.PELT, 2, 1))) {
            int withChange = 0;
            for (long seed = 1; seed <= series; seed++) {
                double[][] x = piecewise(200, new int[] {0}, new double[] {3}, new double[] {2}, 1, seed);
                if (seg.changePoints(x).length > 0) {
                    withChange++;
                }
            }
            assertThat((double) withChange / series).as(seg.describe()).isLessThanOrEqualTo(0.05);
        }
    }

    @Test
    void constantSeriesAndColumnsHaveNoChange() {
        double[][] constant = new double[50][2];
        for (double[] row : constant) {
            row[0] = 3.5;
            row[1] = -1;
        }
        for (Cost cost : Cost.values()) {
            for (Search search : Search.values()) {
                Segmentation seg = new Segmentation(cost, Penalty.MBIC, search, 2, 5);
                assertThat(seg.changePoints(constant)).as("%s %s", cost, search).isEmpty();
            }
        }
    }

    @Test
    void tooShortSeriesHaveNoChange() {
        for (Cost cost : Cost.values()) {
            for (Search search : Search.values()) {
                Segmentation seg = new Segmentation(cost, Penalty.BIC, search, 2, 5);
                assertThat(seg.changePoints(new double[0][])).isEmpty();
                assertThat(seg.changePoints(column(1))).isEmpty();
                assertThat(seg.changePoints(column(1, 100))).isEmpty();
                assertThat(seg.changePoints(column(1, 1, 100))).isEmpty();
            }
        }
        Segmentation one = new Segmentation(Cost.MEAN, Penalty.BIC, Search.PELT, 1, 1);
        assertThat(one.changePoints(column(1))).isEmpty();
        assertThat(one.changePoints(column(0, 0))).isEmpty();
    }

    @Test
    void rejectsNonFiniteAndRaggedInputAndBadSettings() {
        assertThatThrownBy(() -> BINSEG_MEAN_MBIC.changePoints(column(1, Double.NaN, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 1 dimension 0 is not finite");
        assertThatThrownBy(() -> BINSEG_MEAN_MBIC.changePoints(new double[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> new Segmentation(Cost.MEAN_VARIANCE, Penalty.MBIC, Search.PELT, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Segmentation(Cost.MEAN, Penalty.MBIC, Search.BINARY, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BINSEG_MEAN_MBIC.objective(column(1, 2, 3, 4), new int[] {2, 2}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- the changepoint package's split range ----

    /**
     * The R changepoint package's BinSeg for change in mean with MBIC on one standardised
     * dimension, written as its 1-based loop: records {@code st .. end} inclusive, a split after
     * record {@code j} tried for {@code j = 2 .. n - 3} when {@code j - st >= minseglen} and
     * {@code end - j >= minseglen}; gains start at 0 (so a split with no positive gain lands on
     * index 0), capped by the previous gain, kept while at least {@code 3 log n}.
     */
    private static int[] packageBinSeg(double[][] x, int q, int minseglen) {
        double[][] z = standardised(x);
        int n = z.length;
        java.util.function.BiFunction<Integer, Integer, Double> cost =
                (st, end) -> segmentCost(z, st - 1, end, Cost.MEAN, Penalty.MBIC);
        List<Integer> tau = new ArrayList<>(List.of(0, n));
        int[] cpts = new int[q];
        double[] like = new double[q];
        double oldmax = Double.MAX_VALUE;
        for (int k = 0; k < q; k++) {
            double[] lambda = new double[n];
            int i = 1;
            int st = tau.get(0) + 1;
            int end = tau.get(1);
            double whole = cost.apply(st, end);
            for (int j = 2; j < n - 2; j++) {
                if (j == end) {
                    st = end + 1;
                    i++;
                    end = tau.get(i);
                    whole = cost.apply(st, end);
                } else if (j - st >= minseglen && end - j >= minseglen) {
                    lambda[j] = whole - cost.apply(st, j) - cost.apply(j + 1, end);
                }
            }
            int which = 0;
            for (int j = 1; j < n; j++) {
                if (lambda[j] > lambda[which]) {
                    which = j;
                }
            }
            cpts[k] = which;
            like[k] = Math.min(oldmax, lambda[which]);
            oldmax = like[k];
            tau.add(which);
            tau.sort(null);
        }
        int keep = 0;
        while (keep < q && like[keep] >= 3 * Math.log(n)) {
            keep++;
        }
        int[] out = java.util.Arrays.copyOf(cpts, keep);
        java.util.Arrays.sort(out);
        return out;
    }

    @Test
    void theChangepointPackageRangeGivesThePackagesBinarySegmentation() {
        SplittableRandom r = new SplittableRandom(11);
        int checked = 0;
        for (int trial = 0; trial < 400; trial++) {
            int n = 5 + r.nextInt(80);
            int minSeg = 1 + r.nextInt(3);
            double[][] x = new double[n][1];
            double level = 0;
            for (int t = 0; t < n; t++) {
                if (r.nextDouble() < 0.06) {
                    level += 4 * gaussian(r);
                }
                // outliers at the ends, where the two ranges differ
                boolean end = (t < 2 || t >= n - 3) && r.nextDouble() < 0.3;
                x[t][0] = level + gaussian(r) + (end ? 8 : 0);
            }
            Segmentation pkg =
                    new Segmentation(
                            Cost.MEAN, Penalty.MBIC, Search.BINARY, minSeg, 5,
                            SplitRange.CHANGEPOINT_PACKAGE);
            int[] cps = pkg.changePoints(x);
            assertThat(cps).as("trial %d, n %d", trial, n).isEqualTo(packageBinSeg(x, 5, minSeg));
            for (int c : cps) {
                assertThat(c).isBetween(minSeg + 1, n - 3);
            }
            checked += cps.length;
        }
        assertThat(checked).isGreaterThan(200);
    }

    @Test
    void theChangepointPackageRangeLeavesTheFirstTwoAndLastThreeRecordsWhole() {
        // a lone outlier in the first record: every split tried splits it off at index 1, the
        // package's range cannot
        double[][] first = new double[40][1];
        first[0][0] = 50;
        for (int t = 1; t < first.length; t++) {
            first[t][0] = t % 2;
        }
        assertThat(BINSEG_MEAN_MBIC.changePoints(first)).containsExactly(1);
        Segmentation pkg =
                new Segmentation(
                        Cost.MEAN, Penalty.MBIC, Search.BINARY, 1, 5,
                        SplitRange.CHANGEPOINT_PACKAGE);
        assertThat(pkg.changePoints(first)).doesNotContain(0, 1);
        // the same at the end: a split at n - 1 or n - 2 is not tried
        double[][] last = new double[40][1];
        for (int t = 0; t < last.length; t++) {
            last[t][0] = t >= 38 ? 50 : t % 2;
        }
        assertThat(BINSEG_MEAN_MBIC.changePoints(last)).containsExactly(38);
        assertThat(pkg.changePoints(last)).doesNotContain(38, 39);
        // well inside the series both ranges agree
        double[][] step = column(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
        assertThat(pkg.changePoints(step)).containsExactly(10);
        assertThat(BINSEG_MEAN_MBIC.changePoints(step)).containsExactly(10);
        assertThat(pkg.splitRange()).isEqualTo(SplitRange.CHANGEPOINT_PACKAGE);
        assertThat(pkg.describe()).contains("changepoint BinSeg split range");
        assertThatThrownBy(
                        () ->
                                new Segmentation(
                                        Cost.MEAN, Penalty.MBIC, Search.PELT, 1, 5,
                                        SplitRange.CHANGEPOINT_PACKAGE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binary segmentation only");
    }
}
