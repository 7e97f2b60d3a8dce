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
 * @param labelInputs how many of the inputs, at the end of each record's inputs, are the key's
 *     previous labels ({@code model.lag-labels}): per lag, oldest lag last, a one-hot of the model's
 *     classes for classification (all zero where the key had no earlier label or it is a class the
 *     model does not know), the raw previous target for regression; named {@code label[t-k]=<class>}
 *     or {@code label[t-k]}; 0 when the model reads only the record's features
 */
public record FeatureSchema(String[] names, double[] mean, double[] std, double targetMean, double targetStd,
        int labelInputs) implements Serializable {

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
        if (labelInputs < 0 || labelInputs >= names.length) {
            throw new IllegalArgumentException("schema of " + names.length + " inputs cannot have " + labelInputs
                    + " label inputs");
        }
    }

    /** A schema of the record's features only (no previous labels among the inputs). */
    public FeatureSchema(String[] names, double[] mean, double[] std, double targetMean, double targetStd) {
        this(names, mean, std, targetMean, targetStd, 0);
    }

    /** The number of inputs per record: the record's features, then any previous labels. */
    public int dimension() {
        return names.length;
    }

    /** The number of the record's own features (the inputs before the previous labels). */
    public int recordDimension() {
        return names.length - labelInputs;
    }

    /**
     * The names of the previous-label inputs, oldest lag last: {@code label[t-k]=<class>} per class
     * for classification, {@code label[t-k]} for regression (empty {@code classNames}).
     */
    public static String[] lagNames(int lags, String[] classNames) {
        int per = classNames.length == 0 ? 1 : classNames.length;
        String[] n = new String[lags * per];
        for (int k = 0; k < lags; k++) {
            for (int c = 0; c < per; c++) {
                n[k * per + c] = "label[t-" + (k + 1) + "]" + (classNames.length == 0 ? "" : "=" + classNames[c]);
            }
        }
        return n;
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
        return fit(names, rows, n, targets, 0);
    }

    /** Like the other {@code fit}, for inputs whose last {@code labelInputs} are previous labels. */
    public static FeatureSchema fit(String[] names, double[] rows, int n, double[] targets, int labelInputs) {
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
        return new FeatureSchema(names.clone(), mean, std, tm, ts, labelInputs);
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
        int own = recordDimension();
        if (dimension != own) {
            return false;
        }
        return recordNames == null
                || recordNames.length == own && Arrays.equals(recordNames, 0, own, names, 0, own);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSchema s
                && Arrays.equals(names, s.names)
                && Arrays.equals(mean, s.mean)
                && Arrays.equals(std, s.std)
                && Double.compare(targetMean, s.targetMean) == 0
                && Double.compare(targetStd, s.targetStd) == 0
                && labelInputs == s.labelInputs;
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
