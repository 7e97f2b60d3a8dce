package io.driftguard.operators.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The inputs a model expects and how it standardises them: feature names, per-feature mean and
 * standard deviation of its training data, and, for regression, the target's mean and standard
 * deviation (the network predicts the standardised target).
 *
 * @param names feature names in input order ({@code x0, x1, ...} where the input had none)
 * @param mean per-feature mean subtracted before the model
 * @param std per-feature standard deviation divided by (1 where the training data was constant)
 * @param targetMean regression target mean (0 for classification)
 * @param targetStd regression target standard deviation (1 for classification)
 */
public record FeatureSchema(String[] names, double[] mean, double[] std, double targetMean, double targetStd)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public FeatureSchema {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != names.length || std.length != names.length) {
            throw new IllegalArgumentException("schema has " + names.length + " names, "
                    + mean.length + " means and " + std.length + " standard deviations");
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Double.isFinite(std[i]) || !Double.isFinite(mean[i])) {
                throw new IllegalArgumentException("feature " + names[i] + " has mean " + mean[i]
                        + " and standard deviation " + std[i]);
            }
        }
        if (!(targetStd > 0) || !Double.isFinite(targetStd) || !Double.isFinite(targetMean)) {
            throw new IllegalArgumentException(
                    "target mean " + targetMean + " and standard deviation " + targetStd);
        }
    }

    /** The number of features. */
    public int dimension() {
        return names.length;
    }

    /** Names {@code x0 .. x(d-1)}, for inputs given as arrays. */
    public static String[] positionalNames(int d) {
        String[] n = new String[d];
        for (int i = 0; i < d; i++) {
            n[i] = "x" + i;
        }
        return n;
    }

    /**
     * Fits a schema to rows: the mean and the population standard deviation of each feature
     * (one pass, Welford), 1 where a feature is constant.
     *
     * @param names feature names
     * @param rows row-major values, {@code n x names.length}
     * @param n number of rows
     * @param targets regression targets, or null for classification
     */
    public static FeatureSchema fit(String[] names, double[] rows, int n, double[] targets) {
        int d = names.length;
        double[] mean = new double[d];
        double[] m2 = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double x = rows[i * d + j];
                double delta = x - mean[j];
                mean[j] += delta / (i + 1);
                m2[j] += delta * (x - mean[j]);
            }
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            std[j] = positiveStd(n > 0 ? m2[j] / n : 0);
        }
        double tm = 0;
        double ts = 1;
        if (targets != null && n > 0) {
            double tm2 = 0;
            for (int i = 0; i < n; i++) {
                double delta = targets[i] - tm;
                tm += delta / (i + 1);
                tm2 += delta * (targets[i] - tm);
            }
            ts = positiveStd(tm2 / n);
        }
        return new FeatureSchema(names.clone(), mean, std, tm, ts);
    }

    private static double positiveStd(double variance) {
        double s = Math.sqrt(variance);
        return s > 1e-12 && Double.isFinite(s) ? s : 1.0;
    }

    /** Writes the standardised {@code x} into {@code out} from {@code offset}. */
    public void standardize(double[] x, double[] out, int offset) {
        for (int j = 0; j < mean.length; j++) {
            out[offset + j] = (x[j] - mean[j]) / std[j];
        }
    }

    /** Whether a record with these names (null: positional) and dimension fits this schema. */
    public boolean accepts(String[] recordNames, int dimension) {
        if (dimension != names.length) {
            return false;
        }
        return recordNames == null || Arrays.equals(recordNames, names);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSchema s
                && Arrays.equals(names, s.names)
                && Arrays.equals(mean, s.mean)
                && Arrays.equals(std, s.std)
                && Double.compare(targetMean, s.targetMean) == 0
                && Double.compare(targetStd, s.targetStd) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(names) * 31 + Arrays.hashCode(mean);
    }

    @Override
    public String toString() {
        return "FeatureSchema" + Arrays.toString(names);
    }
}
