package io.driftguard.operators.stats;

/**
 * The classifier two-sample test (Lopez-Paz and Oquab 2017; Kim et al. 2021): under the null
 * hypothesis that two balanced samples come from one distribution, a classifier's held-out
 * predictions are right or wrong with probability 1/2 each, so the number of held-out errors
 * among {@code n} points is Binomial(n, 1/2); few errors are evidence of a difference.
 *
 * <p>The p-value is the exact lower tail {@code P(Binomial(n, 1/2) <= errors)}, summed in log space
 * (O(errors) terms). With k-fold cross-validation the held-out predictions come from k classifiers
 * trained on overlapping data, so they are not quite independent; the binomial null is the usual
 * approximation, valid when the records are independent. It costs nothing beyond the A-distance the
 * evaluator already computes.
 */
public final class ClassifierTest {

    private ClassifierTest() {}

    /**
     * {@code P(Binomial(n, 1/2) <= floor(errors))}, in (0, 1]; 1 when {@code n} is 0.
     *
     * @param errors held-out errors (a tie counted as half an error is rounded down)
     * @param n held-out predictions
     */
    public static double pValue(double errors, int n) {
        Checks.checkArgument(n >= 0, "n must be >= 0, got %s", n);
        Checks.checkArgument(errors >= 0 && errors <= n, "errors must lie in [0, %s], got %s", n, errors);
        if (n == 0) {
            return 1.0;
        }
        int e = (int) Math.floor(errors);
        if (2 * e >= n) {
            // the upper half of the distribution: the complement is the smaller sum
            return Math.min(1.0, 1.0 - upperTailExclusive(e, n));
        }
        double logHalfPow = -n * Math.log(2.0);
        double logC = 0.0; // log C(n, 0)
        double max = logC;
        double[] terms = new double[e + 1];
        for (int k = 0; k <= e; k++) {
            if (k > 0) {
                logC += Math.log(n - k + 1) - Math.log(k);
            }
            terms[k] = logC;
            max = Math.max(max, logC);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - max);
        }
        return Math.max(Double.MIN_VALUE, Math.min(1.0, Math.exp(max + Math.log(sum) + logHalfPow)));
    }

    /** {@code P(Binomial(n, 1/2) > e)} by symmetry: {@code P(X < n - e)}. */
    private static double upperTailExclusive(int e, int n) {
        int below = n - e - 1; // P(X <= n - e - 1)
        return below < 0 ? 0.0 : pValue(below, n);
    }
}
