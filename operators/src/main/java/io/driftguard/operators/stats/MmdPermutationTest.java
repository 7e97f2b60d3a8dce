package io.driftguard.operators.stats;

/**
 * Permutation tests of H0: P = Q with the unbiased Gaussian-kernel MMD^2 (Gretton et al. 2012), at
 * one bandwidth or aggregated over several.
 *
 * <p>Single bandwidth: p = (1 + #{b : MMD2_b >= MMD2_obs}) / (B + 1) over B uniform random
 * re-splits of the pooled sample into sizes m and n. This p-value is valid (P(p <= alpha) <= alpha
 * under H0) for any B, because the observed split and the random splits are exchangeable under
 * H0.
 *
 * <p>Multi-bandwidth: the median bandwidth alone is nearly blind to changes of variance,
 * correlation or shape that show at smaller scales. For bandwidths sigma_1..sigma_L every split b
 * (observed b = 0 and B random ones, the same splits for all bandwidths) gets the standardised
 * statistics z_lb = (MMD2_lb - mean_l) / sd_l, mean and sd taken over the B + 1 splits, and the
 * aggregate S_b = max_l z_lb; p = (1 + #{b >= 1 : S_b >= S_0}) / (B + 1). Standardising with
 * statistics that are symmetric in the B + 1 splits keeps them exchangeable, so this p-value is
 * valid too; it is a max-type aggregation in the spirit of MMDAgg (Schrab et al. 2023, JMLR 24)
 * with one shared permutation null instead of MMDAgg's Bonferroni-corrected quantiles.
 *
 * <p>Cost: O(N^2 d) for the distances plus O(L N^2 B / 2) float multiply-adds (N = m + n), with
 * L N^2 floats of memory; see {@code PermutationEngine}. Permutation statistics are computed from a
 * float Gram matrix: values within {@link #TIE_TOLERANCE} of the observed one count as ties (>=),
 * which can only make the test more conservative. The reported mmd2 is in double precision.
 * Results are a deterministic function of the inputs and the seed.
 */
public final class MmdPermutationTest {
    /** Absolute tolerance on MMD^2 under which a permuted statistic ties with the observed one. */
    public static final double TIE_TOLERANCE = 1e-6;

    private MmdPermutationTest() {}

    /** Single-bandwidth permutation test with B = {@code permutations}. */
    public static MmdTestResult test(
            double[][] x, double[][] y, double sigma, int permutations, long seed) {
        Checks.checkPair(x, y);
        Checks.checkSigma(sigma);
        Checks.checkArgument(permutations >= 1, "permutations must be >= 1, got %s", permutations);
        // A first stage of all the permutations never stops early.
        return twoStage(x, y, sigma, permutations, 0.0, permutations, seed);
    }

    /**
     * Two-stage Monte Carlo test: the first {@code firstStage} permutations settle the test when
     * their p-value is at least {@code stopAt}; otherwise it goes on to {@code permutations}. Each
     * outcome is a valid permutation p-value, and equals {@link #test} with B = firstStage or B =
     * permutations and the same seed, but the Gram matrix is computed once.
     */
    public static MmdTestResult testTwoStage(
            double[][] x,
            double[][] y,
            double sigma,
            int firstStage,
            double stopAt,
            int permutations,
            long seed) {
        Checks.checkPair(x, y);
        Checks.checkSigma(sigma);
        Checks.checkArgument(
                firstStage >= 1 && firstStage <= permutations,
                "need 1 <= firstStage <= permutations, got %s and %s",
                firstStage,
                permutations);
        return twoStage(x, y, sigma, firstStage, stopAt, permutations, seed);
    }

    private static MmdTestResult twoStage(
            double[][] x,
            double[][] y,
            double sigma,
            int firstStage,
            double stopAt,
            int permutations,
            long seed) {
        PooledData p = PooledData.of(x, y);
        PermutationEngine.Result run =
                PermutationEngine.run(
                        p,
                        new double[] {sigma},
                        permutations,
                        seed,
                        firstStage,
                        head -> PermutationEngine.pValue(head[0], TIE_TOLERANCE),
                        stopAt);
        double[] s = run.stats()[0];
        double mmd2 = Mmd.unbiased(run.sums()[0], p.m, p.n);
        return new MmdTestResult(mmd2, sigma, PermutationEngine.pValue(s, TIE_TOLERANCE), s.length - 1);
    }

    /** Aggregated multi-bandwidth permutation test over {@code sigmas}, B = {@code permutations}. */
    public static MultiBandwidthResult testMultiBandwidth(
            double[][] x, double[][] y, double[] sigmas, int permutations, long seed) {
        checkMultiBandwidthInput(x, y, sigmas);
        Checks.checkArgument(permutations >= 1, "permutations must be >= 1, got %s", permutations);
        return multiTwoStage(x, y, sigmas, permutations, 0.0, permutations, seed);
    }

    /**
     * As the public method; level {@code excluded} (or none when -1) is computed and reported but
     * left out of the aggregate.
     */
    static MultiBandwidthResult testMultiBandwidth(
            PooledData p, double[] sigmas, int permutations, long seed, int excluded) {
        PermutationEngine.Result run = PermutationEngine.run(p, sigmas, permutations, seed);
        return aggregate(p, sigmas, run, excluded);
    }

    /**
     * The aggregated test in two stages, as {@link #testTwoStage} for one bandwidth: equal to
     * {@link #testMultiBandwidth} with B = firstStage when that p-value is at least {@code stopAt},
     * else with B = permutations, from one set of Gram matrices.
     */
    public static MultiBandwidthResult testMultiBandwidthTwoStage(
            double[][] x,
            double[][] y,
            double[] sigmas,
            int firstStage,
            double stopAt,
            int permutations,
            long seed) {
        checkMultiBandwidthInput(x, y, sigmas);
        Checks.checkArgument(
                firstStage >= 1 && firstStage <= permutations,
                "need 1 <= firstStage <= permutations, got %s and %s",
                firstStage,
                permutations);
        return multiTwoStage(x, y, sigmas, firstStage, stopAt, permutations, seed);
    }

    private static void checkMultiBandwidthInput(double[][] x, double[][] y, double[] sigmas) {
        Checks.checkPair(x, y);
        Checks.checkArgument(sigmas != null && sigmas.length > 0, "sigmas must not be empty");
        for (double s : sigmas) {
            Checks.checkSigma(s);
        }
    }

    private static MultiBandwidthResult multiTwoStage(
            double[][] x,
            double[][] y,
            double[] sigmas,
            int firstStage,
            double stopAt,
            int permutations,
            long seed) {
        PooledData p = PooledData.of(x, y);
        double[] grid = sigmas.clone();
        PermutationEngine.Result run =
                PermutationEngine.run(
                        p,
                        grid,
                        permutations,
                        seed,
                        firstStage,
                        head -> aggregatePValue(head, -1),
                        stopAt);
        return aggregate(p, grid, run, -1);
    }

    private static MultiBandwidthResult aggregate(
            PooledData p, double[] sigmas, PermutationEngine.Result run, int excluded) {
        int levels = sigmas.length;
        double[][] s = run.stats();
        double[] mmd2 = new double[levels];
        double[] pValues = new double[levels];
        for (int l = 0; l < levels; l++) {
            mmd2[l] = Mmd.unbiased(run.sums()[l], p.m, p.n);
            pValues[l] = PermutationEngine.pValue(s[l], TIE_TOLERANCE);
        }
        double[] aggregate = new double[s[0].length];
        double pValue = aggregatePValue(s, excluded, aggregate);
        return new MultiBandwidthResult(sigmas, mmd2, pValues, aggregate[0], pValue, s[0].length - 1);
    }

    private static double aggregatePValue(double[][] s, int excluded) {
        return aggregatePValue(s, excluded, new double[s[0].length]);
    }

    /**
     * The max-over-bandwidths statistic of every split (each level standardised by its mean and
     * standard deviation over the splits) into {@code aggregate}, and its permutation p-value.
     */
    private static double aggregatePValue(double[][] s, int excluded, double[] aggregate) {
        java.util.Arrays.fill(aggregate, Double.NEGATIVE_INFINITY);
        double tol = 0;
        for (int l = 0; l < s.length; l++) {
            double[] v = s[l];
            double mean = KernelMath.sum(v, 0, v.length) / v.length;
            double ss = 0;
            for (double t : v) {
                ss += (t - mean) * (t - mean);
            }
            double sd = Math.sqrt(ss / v.length);
            // A bandwidth whose statistic does not vary across splits carries no evidence.
            double inv = sd > 0 ? 1.0 / sd : 0.0;
            if (sd > 0 && l != excluded) {
                tol = Math.max(tol, TIE_TOLERANCE * inv);
            }
            if (l == excluded) {
                continue;
            }
            for (int b = 0; b < v.length; b++) {
                aggregate[b] = Math.max(aggregate[b], (v[b] - mean) * inv);
            }
        }
        return PermutationEngine.pValue(aggregate, tol);
    }

    /**
     * Returns sigma * multiplier for each multiplier: the usual grid around the median bandwidth,
     * e.g. {0.25, 0.5, 1, 2, 4}.
     */
    public static double[] bandwidthGrid(double sigma, double[] multipliers) {
        Checks.checkSigma(sigma);
        Checks.checkArgument(
                multipliers != null && multipliers.length > 0, "multipliers must not be empty");
        double[] out = new double[multipliers.length];
        for (int i = 0; i < out.length; i++) {
            Checks.checkArgument(
                    multipliers[i] > 0 && Double.isFinite(multipliers[i]),
                    "multipliers must be positive and finite, got %s",
                    multipliers[i]);
            out[i] = sigma * multipliers[i];
        }
        return out;
    }
}
