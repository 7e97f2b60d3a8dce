package io.driftguard.operators.stats;

import java.util.Arrays;

/**
 * Result of the aggregated multi-bandwidth MMD permutation test.
 *
 * @param sigmas the bandwidths, in the order given
 * @param mmd2 unbiased MMD^2 of the observed split per bandwidth
 * @param pValues single-bandwidth permutation p-value per bandwidth (each valid on its own)
 * @param statistic the aggregated statistic: max over bandwidths of the standardised MMD^2
 * @param pValue permutation p-value of the aggregated statistic, in (0, 1]
 * @param permutations B, shared by all bandwidths
 */
public record MultiBandwidthResult(
        double[] sigmas,
        double[] mmd2,
        double[] pValues,
        double statistic,
        double pValue,
        int permutations) {

    /** Validates the fields and copies the arrays. */
    public MultiBandwidthResult {
        Checks.checkArgument(
                sigmas != null && mmd2 != null && pValues != null, "arrays must not be null");
        Checks.checkArgument(
                sigmas.length == mmd2.length && sigmas.length == pValues.length,
                "array lengths differ");
        Checks.checkArgument(pValue > 0 && pValue <= 1, "pValue must be in (0, 1], got %s", pValue);
        sigmas = sigmas.clone();
        mmd2 = mmd2.clone();
        pValues = pValues.clone();
    }

    @Override
    public double[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public double[] mmd2() {
        return mmd2.clone();
    }

    @Override
    public double[] pValues() {
        return pValues.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiBandwidthResult r
                && Arrays.equals(sigmas, r.sigmas)
                && Arrays.equals(mmd2, r.mmd2)
                && Arrays.equals(pValues, r.pValues)
                && Double.compare(statistic, r.statistic) == 0
                && Double.compare(pValue, r.pValue) == 0
                && permutations == r.permutations;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sigmas) + Arrays.hashCode(mmd2) + Double.hashCode(pValue);
    }

    @Override
    public String toString() {
        return "MultiBandwidthResult{sigmas="
                + Arrays.toString(sigmas)
                + ", mmd2="
                + Arrays.toString(mmd2)
                + ", pValues="
                + Arrays.toString(pValues)
                + ", statistic="
                + statistic
                + ", pValue="
                + pValue
                + ", permutations="
                + permutations
                + "}";
    }
}
