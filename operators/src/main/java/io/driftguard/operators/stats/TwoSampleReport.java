package io.driftguard.operators.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Offline two-sample comparison of a reference and a current sample: the library entry point of
 * {@code driftguard test}.
 *
 * <p>Steps: validate (at least 2 rows each, same dimension, finite values); subsample a side larger
 * than {@code maxSamplesPerSide} uniformly; sigma by the median heuristic on the pooled (used)
 * sample; unbiased MMD^2 at sigma with its permutation p-value; the multi-bandwidth test over sigma
 * times the multipliers on the same permutations (see {@link MmdPermutationTest}); the proxy
 * A-distance on all rows (see {@link ProxyADistance}); per-feature scores (see {@link
 * FeatureScore}). Cost is dominated by O(L (m + n)^2 B) for L bandwidths. The output is a
 * deterministic function of the inputs and the options (seed included).
 */
public final class TwoSampleReport {
    private TwoSampleReport() {}

    /**
     * Computes the report.
     *
     * @param ref reference rows
     * @param cur current rows
     * @param featureNames one name per column, or null for f0, f1, ...
     * @param opts settings
     * @throws IllegalArgumentException on invalid input, with the reason
     */
    public static TwoSampleResult compute(
            double[][] ref, double[][] cur, String[] featureNames, TwoSampleOptions opts) {
        Checks.checkArgument(opts != null, "options must not be null");
        int d = Checks.checkSample(ref, "reference", 2);
        int dc = Checks.checkSample(cur, "current", 2);
        Checks.checkArgument(d == dc, "reference has %s features but current has %s", d, dc);
        String[] names = names(featureNames, d);
        SplittableRandom seeds = new SplittableRandom(opts.seed());
        long subsampleSeed = seeds.nextLong();
        long medianSeed = seeds.nextLong();
        long permutationSeed = seeds.nextLong();
        long aDistanceSeed = seeds.nextLong();

        SplittableRandom sub = new SplittableRandom(subsampleSeed);
        int[] refIdx = subsample(ref.length, opts.maxSamplesPerSide(), sub);
        int[] curIdx = subsample(cur.length, opts.maxSamplesPerSide(), sub);
        double[][] x = select(ref, refIdx);
        double[][] y = select(cur, curIdx);

        double sigma = MedianHeuristic.sigma(x, y, opts.medianMaxPoints(), medianSeed);
        double[] multipliers = opts.bandwidthMultipliers();
        int gridSize = multipliers.length;
        // The single test at the median bandwidth shares the grid's permutations; it is an extra
        // level left out of the aggregate unless the grid already contains multiplier 1.
        int medianLevel = -1;
        for (int i = 0; i < gridSize; i++) {
            if (multipliers[i] == 1.0) {
                medianLevel = i;
            }
        }
        int excluded = medianLevel >= 0 ? -1 : gridSize;
        double[] sigmas = new double[medianLevel >= 0 ? gridSize : gridSize + 1];
        for (int i = 0; i < gridSize; i++) {
            sigmas[i] = sigma * multipliers[i];
        }
        if (medianLevel < 0) {
            sigmas[gridSize] = sigma;
            medianLevel = gridSize;
        }
        PooledData pooled = PooledData.of(x, y);
        MultiBandwidthResult all =
                MmdPermutationTest.testMultiBandwidth(
                        pooled, sigmas, opts.permutations(), permutationSeed, excluded);
        double[] gridSigmas = java.util.Arrays.copyOf(all.sigmas(), gridSize);
        double[] gridMmd2 = java.util.Arrays.copyOf(all.mmd2(), gridSize);
        double[] gridP = java.util.Arrays.copyOf(all.pValues(), gridSize);
        double mmd2 = all.mmd2()[medianLevel];
        double pValue = all.pValues()[medianLevel];

        double aDistance =
                ProxyADistance.compute(ref, cur, opts.folds(), opts.lambda(), aDistanceSeed);

        List<FeatureScore> features =
                opts.featureScores() ? featureScores(x, y, pooled, sigma, mmd2, names, opts)
                        : List.of();
        return new TwoSampleResult(
                mmd2,
                sigma,
                pValue,
                aDistance,
                ref.length,
                cur.length,
                x.length,
                y.length,
                opts.permutations(),
                all.pValue(),
                gridSigmas,
                gridMmd2,
                gridP,
                features);
    }

    private static List<FeatureScore> featureScores(
            double[][] x,
            double[][] y,
            PooledData pooled,
            double sigma,
            double mmd2,
            String[] names,
            TwoSampleOptions opts) {
        int d = names.length;
        double[] without = Mmd.leaveOneFeatureOut(pooled, sigma);
        double[] drop = new double[d];
        double total = 0;
        for (int f = 0; f < d; f++) {
            drop[f] = Math.max(0.0, mmd2 - without[f]);
            total += drop[f];
        }
        List<FeatureScore> out = new ArrayList<>(d);
        for (int f = 0; f < d; f++) {
            double[] xf = column(x, f);
            double[] yf = column(y, f);
            double[][] xc = asRows(xf);
            double[][] yc = asRows(yf);
            double s1 = MedianHeuristic.sigma(xc, yc, opts.medianMaxPoints(), opts.seed() + f);
            double uni = Mmd.unbiased(xc, yc, s1);
            double ks = UnivariateTests.kolmogorovSmirnov(xf, yf);
            double sd = pooledSd(xf, yf);
            double w1 = UnivariateTests.wasserstein1(xf, yf) / (sd > 0 ? sd : 1.0);
            double share = total > 0 ? Math.min(1.0, drop[f] / total) : 0.0;
            out.add(new FeatureScore(names[f], f, share, share, uni, ks, w1));
        }
        out.sort(
                Comparator.comparingDouble(FeatureScore::share)
                        .reversed()
                        .thenComparing(Comparator.comparingDouble(FeatureScore::mmd2).reversed())
                        .thenComparingInt(FeatureScore::index));
        return out;
    }

    private static String[] names(String[] featureNames, int d) {
        if (featureNames == null) {
            String[] out = new String[d];
            for (int f = 0; f < d; f++) {
                out[f] = "f" + f;
            }
            return out;
        }
        Checks.checkArgument(
                featureNames.length == d,
                "%s feature names for %s features",
                featureNames.length,
                d);
        for (int f = 0; f < d; f++) {
            Checks.checkArgument(featureNames[f] != null, "feature name %s is null", f);
        }
        return featureNames.clone();
    }

    private static int[] subsample(int n, int max, SplittableRandom random) {
        if (n <= max) {
            return null;
        }
        return MedianHeuristic.sampleWithoutReplacement(n, max, random);
    }

    private static double[][] select(double[][] rows, int[] idx) {
        if (idx == null) {
            return rows;
        }
        double[][] out = new double[idx.length][];
        for (int i = 0; i < idx.length; i++) {
            out[i] = rows[idx[i]];
        }
        return out;
    }

    private static double[] column(double[][] rows, int f) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][f];
        }
        return out;
    }

    private static double[][] asRows(double[] v) {
        double[][] out = new double[v.length][1];
        for (int i = 0; i < v.length; i++) {
            out[i][0] = v[i];
        }
        return out;
    }

    private static double pooledSd(double[] a, double[] b) {
        double mean = 0;
        for (double v : a) {
            mean += v;
        }
        for (double v : b) {
            mean += v;
        }
        mean /= a.length + b.length;
        double ss = 0;
        for (double v : a) {
            ss += (v - mean) * (v - mean);
        }
        for (double v : b) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (a.length + b.length));
    }
}
