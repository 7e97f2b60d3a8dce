package io.driftguard.operators.model;

import java.util.Objects;
import javax.annotation.Nullable;

/**
 * Standardised training rows for a {@link ModelTrainer}: plain arrays, so that they cross Flink
 * operators and live in state (ND4J arrays cannot).
 *
 * @param x row-major inputs, {@code rows x width}; width is features times GRU steps (records
 *     oldest first)
 * @param rows number of rows
 * @param width values per row
 * @param y per row: the class index (classification) or the standardised target (regression)
 * @param weights per-row loss weights (instance weighting), or null for all 1
 */
public record TrainingSet(float[] x, int rows, int width, float[] y, @Nullable float[] weights) {

    public TrainingSet {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (rows < 0 || width < 1 || (long) rows * width != x.length || y.length != rows
                || weights != null && weights.length != rows) {
            throw new IllegalArgumentException("training set of " + rows + " x " + width + " has "
                    + x.length + " inputs, " + y.length + " targets and "
                    + (weights == null ? "no" : weights.length) + " weights");
        }
    }

    /** Rows {@code [from, to)} as a new set. */
    public TrainingSet slice(int from, int to) {
        float[] xs = java.util.Arrays.copyOfRange(x, from * width, to * width);
        float[] ys = java.util.Arrays.copyOfRange(y, from, to);
        float[] ws = weights == null ? null : java.util.Arrays.copyOfRange(weights, from, to);
        return new TrainingSet(xs, to - from, width, ys, ws);
    }
}
