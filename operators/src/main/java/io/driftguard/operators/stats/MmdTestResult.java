package io.driftguard.operators.stats;

/**
 * Result of a single-bandwidth MMD permutation test.
 *
 * @param mmd2 unbiased MMD^2 of the observed split, in double precision
 * @param sigma Gaussian kernel bandwidth
 * @param pValue (1 + #{b : MMD2_b >= MMD2_obs}) / (B + 1), in (0, 1]
 * @param permutations B
 */
public record MmdTestResult(double mmd2, double sigma, double pValue, int permutations) {
    /** Validates the fields. */
    public MmdTestResult {
        Checks.checkArgument(pValue > 0 && pValue <= 1, "pValue must be in (0, 1], got %s", pValue);
        Checks.checkArgument(permutations >= 1, "permutations must be >= 1, got %s", permutations);
    }
}
