package io.driftguard.operators.sketch;

/** Argument checks with message templates, in the style of Guava's Preconditions. */
final class Checks {
    private Checks() {}

    static void checkArgument(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(template, args));
        }
    }

    static void checkState(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalStateException(String.format(template, args));
        }
    }

    /**
     * Checks that a record has the expected dimension and holds only finite values or NaN, a
     * missing value; an infinite value is rejected.
     */
    static void checkRecord(double[] x, int dimension) {
        if (x == null) {
            throw new IllegalArgumentException("record must not be null");
        }
        if (x.length != dimension) {
            throw new IllegalArgumentException(
                    String.format("record has dimension %s, expected %s", x.length, dimension));
        }
        for (int f = 0; f < x.length; f++) {
            if (Double.isInfinite(x[f])) {
                throw new IllegalArgumentException(
                        String.format("record value %s at feature %s is not finite", x[f], f));
            }
        }
    }
}
