package io.driftguard.operators.stats;

import java.util.Arrays;

/**
 * Settings of {@link TwoSampleReport}.
 *
 * @param permutations B for the permutation tests, at least 1
 * @param seed fixes every random choice; same inputs and seed give the same report
 * @param bandwidthMultipliers grid of the multi-bandwidth test, as multiples of the median sigma
 * @param maxSamplesPerSide a larger side is subsampled uniformly to this many rows for the kernel
 *     statistics (memory and time grow with (m + n)^2); at least 2
 * @param medianMaxPoints subsample size of the median heuristic, at least 1000
 * @param folds cross-validation folds of the proxy A-distance, at least 2
 * @param lambda L2 penalty of the proxy A-distance's logistic regression, positive
 * @param featureScores whether to compute per-feature scores (O(d (m + n)^2))
 */
public record TwoSampleOptions(
        int permutations,
        long seed,
        double[] bandwidthMultipliers,
        int maxSamplesPerSide,
        int medianMaxPoints,
        int folds,
        double lambda,
        boolean featureScores) {

    /** Default bandwidth grid: a quarter to four times the median bandwidth. */
    public static final double[] DEFAULT_MULTIPLIERS = {0.25, 0.5, 1.0, 2.0, 4.0};

    /** Validates the fields and copies the grid. */
    public TwoSampleOptions {
        Checks.checkArgument(permutations >= 1, "permutations must be >= 1, got %s", permutations);
        Checks.checkArgument(
                bandwidthMultipliers != null && bandwidthMultipliers.length > 0,
                "bandwidthMultipliers must not be empty");
        bandwidthMultipliers = bandwidthMultipliers.clone();
        for (double v : bandwidthMultipliers) {
            Checks.checkArgument(
                    v > 0 && Double.isFinite(v), "bandwidth multipliers must be positive, got %s", v);
        }
        Checks.checkArgument(
                maxSamplesPerSide >= 2, "maxSamplesPerSide must be >= 2, got %s", maxSamplesPerSide);
        Checks.checkArgument(
                medianMaxPoints >= MedianHeuristic.DEFAULT_MAX_POINTS,
                "medianMaxPoints must be >= %s, got %s",
                MedianHeuristic.DEFAULT_MAX_POINTS,
                medianMaxPoints);
        Checks.checkArgument(folds >= 2, "folds must be >= 2, got %s", folds);
        Checks.checkArgument(
                lambda > 0 && Double.isFinite(lambda), "lambda must be positive, got %s", lambda);
    }

    /** B = 500, seed 42, grid {0.25, 0.5, 1, 2, 4}, 1000 rows per side, 5 folds, lambda 1e-3. */
    public static TwoSampleOptions defaults() {
        return new TwoSampleOptions(
                500,
                42L,
                DEFAULT_MULTIPLIERS,
                1000,
                MedianHeuristic.DEFAULT_MAX_POINTS,
                ProxyADistance.DEFAULT_FOLDS,
                ProxyADistance.DEFAULT_LAMBDA,
                true);
    }

    public TwoSampleOptions withPermutations(int value) {
        return new TwoSampleOptions(
                value, seed, bandwidthMultipliers, maxSamplesPerSide, medianMaxPoints, folds, lambda,
                featureScores);
    }

    public TwoSampleOptions withSeed(long value) {
        return new TwoSampleOptions(
                permutations, value, bandwidthMultipliers, maxSamplesPerSide, medianMaxPoints, folds,
                lambda, featureScores);
    }

    public TwoSampleOptions withBandwidthMultipliers(double[] value) {
        return new TwoSampleOptions(
                permutations, seed, value, maxSamplesPerSide, medianMaxPoints, folds, lambda,
                featureScores);
    }

    public TwoSampleOptions withMaxSamplesPerSide(int value) {
        return new TwoSampleOptions(
                permutations, seed, bandwidthMultipliers, value, medianMaxPoints, folds, lambda,
                featureScores);
    }

    public TwoSampleOptions withFeatureScores(boolean value) {
        return new TwoSampleOptions(
                permutations, seed, bandwidthMultipliers, maxSamplesPerSide, medianMaxPoints, folds,
                lambda, value);
    }

    @Override
    public double[] bandwidthMultipliers() {
        return bandwidthMultipliers.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwoSampleOptions t
                && permutations == t.permutations
                && seed == t.seed
                && Arrays.equals(bandwidthMultipliers, t.bandwidthMultipliers)
                && maxSamplesPerSide == t.maxSamplesPerSide
                && medianMaxPoints == t.medianMaxPoints
                && folds == t.folds
                && Double.compare(lambda, t.lambda) == 0
                && featureScores == t.featureScores;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 + permutations * 17 + Arrays.hashCode(bandwidthMultipliers);
    }

    @Override
    public String toString() {
        return "TwoSampleOptions{permutations=" + permutations + ", seed=" + seed
                + ", bandwidthMultipliers=" + Arrays.toString(bandwidthMultipliers)
                + ", maxSamplesPerSide=" + maxSamplesPerSide + ", medianMaxPoints=" + medianMaxPoints
                + ", folds=" + folds + ", lambda=" + lambda + ", featureScores=" + featureScores + "}";
    }
}
