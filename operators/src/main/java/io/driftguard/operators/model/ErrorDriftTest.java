package io.driftguard.operators.model;

/**
 * A one-sided test that the serving model's prequential error has risen: the first {@code block}
 * labelled records a version scores on a key are its baseline, each later block of {@code block}
 * records is compared with it, and a block whose error exceeds the baseline at significance
 * {@code alpha} confirms a rise.
 *
 * <p>Classification: the pooled two-proportion z-test on the error rates. Regression: Welch's
 * z-test on the mean squared errors (per-record squared errors, their variance estimated from the
 * fourth powers). Both use the normal approximation, fair at the default block of 200. Blocks do
 * not overlap, so under an unchanged error rate a false confirmation occurs in about {@code alpha}
 * of the blocks: at the default 0.001 and 200 records, once per 200,000 labelled records per key.
 *
 * <p>Mutable, O(1) per record; its state is six numbers.
 */
public final class ErrorDriftTest {

    double baseN;
    double baseSum;
    double baseSq;
    double blockN;
    double blockSum;
    double blockSq;
    long blockStart;

    /** Restarts with an empty baseline (a new version took over). */
    public void reset() {
        baseN = baseSum = baseSq = blockN = blockSum = blockSq = 0;
        blockStart = 0;
    }

    /**
     * Adds one labelled record's loss (0/1 error, or squared error) and returns the p-value of a
     * block that just completed, or NaN when no block completed.
     */
    public double add(double loss, long ts, int block) {
        if (baseN < block) {
            baseN++;
            baseSum += loss;
            baseSq += loss * loss;
            return Double.NaN;
        }
        if (blockN == 0) {
            blockStart = ts;
        }
        blockN++;
        blockSum += loss;
        blockSq += loss * loss;
        if (blockN < block) {
            return Double.NaN;
        }
        double p = pValue(baseN, baseSum, baseSq, blockN, blockSum, blockSq);
        blockN = blockSum = blockSq = 0;
        return p;
    }

    /** Time or index of the first record of the block that completed last. */
    public long blockStart() {
        return blockStart;
    }

    /** One-sided p-value that the block's mean loss exceeds the baseline's. */
    static double pValue(double n0, double s0, double q0, double n1, double s1, double q1) {
        double m0 = s0 / n0;
        double m1 = s1 / n1;
        double v0 = Math.max(0, q0 / n0 - m0 * m0);
        double v1 = Math.max(0, q1 / n1 - m1 * m1);
        boolean binary = q0 == s0 && q1 == s1; // 0/1 losses: pool the proportions
        double se;
        if (binary) {
            double pooled = (s0 + s1) / (n0 + n1);
            se = Math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1));
        } else {
            se = Math.sqrt(v0 / Math.max(1, n0 - 1) + v1 / Math.max(1, n1 - 1));
        }
        if (se == 0) {
            return m1 > m0 ? 0.0 : 1.0;
        }
        return upperTail((m1 - m0) / se);
    }

    /**
     * P(Z > z) for a standard normal Z, from the complementary error function (W. J. Cody's
     * rational approximation as given in Numerical Recipes' erfcc, relative error below 1.2e-7).
     */
    static double upperTail(double z) {
        double x = z / Math.sqrt(2);
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        double tail = x >= 0 ? erfc : 2 - erfc;
        return tail / 2;
    }
}
