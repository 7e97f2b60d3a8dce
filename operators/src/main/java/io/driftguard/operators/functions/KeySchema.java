package io.driftguard.operators.functions;

import io.driftguard.operators.record.SeriesRecord;
import java.util.Arrays;
import javax.annotation.Nullable;

/**
 * A key's schema, fixed by its first valid record (its dimension, feature names and whether it
 * is labelled, in {@link KeyMeta}), and its labels as numbers: a numeric label is its value, a
 * class name its index among the key's classes in order of first appearance ({@link
 * KeyMeta#labelClasses}, at most {@value #MAX_CLASSES}; further classes count as unlabelled).
 */
final class KeySchema {

    /** Most class names a key keeps. */
    static final int MAX_CLASSES = 1024;

    private KeySchema() {}

    /** The bookkeeping of a key whose first record is {@code r}. */
    static KeyMeta of(SeriesRecord r) {
        KeyMeta m = new KeyMeta();
        m.dimension = r.dimension();
        m.names = r.featureNames();
        m.labelled = r.label() != null;
        return m;
    }

    /** Why {@code r} does not fit the key's schema (its dead letter's reason), or null when it does. */
    @Nullable
    static String mismatch(KeyMeta m, SeriesRecord r) {
        if (r.dimension() != m.dimension) {
            return "dimension " + r.dimension() + " differs from the key's " + m.dimension;
        }
        if (m.names == null && r.featureNames() != null
                || m.names != null && r.featureNames() != null && m.names != r.featureNames()
                        && !Arrays.equals(m.names, r.featureNames())) {
            return "feature names " + Arrays.toString(r.featureNames()) + " differ from the key's "
                    + Arrays.toString(m.names);
        }
        return null;
    }

    /** The code of {@code label} for the key of {@code m} (which may learn a new class), NaN for none. */
    static double labelCode(KeyMeta m, String label) {
        if (label == null) {
            return Double.NaN;
        }
        if (m.labelClasses.length == 0) {
            try {
                double v = Double.parseDouble(label);
                if (Double.isFinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // a class name
            }
        }
        for (int i = 0; i < m.labelClasses.length; i++) {
            if (m.labelClasses[i].equals(label)) {
                return i;
            }
        }
        if (m.labelClasses.length >= MAX_CLASSES) {
            return Double.NaN;
        }
        m.labelClasses = Arrays.copyOf(m.labelClasses, m.labelClasses.length + 1);
        m.labelClasses[m.labelClasses.length - 1] = label;
        return m.labelClasses.length - 1;
    }
}
