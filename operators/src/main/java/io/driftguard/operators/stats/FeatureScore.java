package io.driftguard.operators.stats;

/**
 * How much one feature is responsible for the difference between two samples.
 *
 * @param name the feature's name
 * @param index the feature's column
 * @param score the feature's share of the multivariate statistic, in [0, 1] (see {@link #share})
 * @param share max(0, MMD2 - MMD2 without this feature) normalised to sum 1 over features (all 0
 *     when no feature's removal lowers the statistic); captures joint effects such as correlation
 * @param mmd2 univariate unbiased MMD^2 of this feature alone, median-heuristic bandwidth
 * @param ks Kolmogorov-Smirnov statistic of this feature
 * @param wasserstein Wasserstein-1 distance of this feature, in units of its pooled standard
 *     deviation
 */
public record FeatureScore(
        String name, int index, double score, double share, double mmd2, double ks, double wasserstein) {
    /** Validates the fields. */
    public FeatureScore {
        Checks.checkArgument(name != null, "name must not be null");
        Checks.checkArgument(index >= 0, "index must be >= 0, got %s", index);
        Checks.checkArgument(share >= 0 && share <= 1, "share must be in [0, 1], got %s", share);
    }
}
