package io.driftguard.operators.stats;

/** Argument checks with message templates, in the style of Guava's Preconditions. */
final class Checks {
    private Checks() {}

    static void checkArgument(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }

    /**
     * Checks a sample: at least {@code minRows} rows, all of one positive dimension, finite values.
     *
     * @return the dimension
     */
    static int checkSample(double[][] x, String name, int minRows) {
        checkArgument(x != null, "%s must not be null", name);
        checkArgument(
                x.length >= minRows, "%s needs at least %s rows, got %s", name, minRows, x.length);
        checkArgument(x[0] != null, "%s row 0 is null", name);
        int d = x[0].length;
        checkArgument(d > 0, "%s rows must have at least one feature", name);
        for (int i = 0; i < x.length; i++) {
            double[] row = x[i];
            checkArgument(row != null, "%s row %s is null", name, i);
            checkArgument(
                    row.length == d, "%s row %s has %s features, expected %s", name, i, row.length, d);
            for (int f = 0; f < d; f++) {
                if (!Double.isFinite(row[f])) {
                    throw new IllegalArgumentException(
                            String.format(
                                    "%s row %s feature %s is not finite: %s", name, i, f, row[f]));
                }
            }
        }
        return d;
    }

    /** Checks two samples of the same dimension with at least two rows each; returns d. */
    static int checkPair(double[][] x, double[][] y) {
        int d = checkSample(x, "x", 2);
        int dy = checkSample(y, "y", 2);
        checkArgument(d == dy, "x has %s features but y has %s", d, dy);
        return d;
    }

    static void checkSigma(double sigma) {
        checkArgument(
                sigma > 0 && Double.isFinite(sigma), "sigma must be positive and finite, got %s", sigma);
    }
}
