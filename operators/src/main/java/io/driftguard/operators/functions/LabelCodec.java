package io.driftguard.operators.functions;

import java.util.Arrays;

/**
 * A key's labels as numbers in its sketches: a numeric label is its value, a class name its index
 * among the key's classes in order of first appearance ({@link KeyMeta#labelClasses}, at most
 * {@value #MAX_CLASSES}; further classes count as unlabelled).
 */
final class LabelCodec {

    /** Most class names a key keeps. */
    static final int MAX_CLASSES = 1024;

    private LabelCodec() {}

    /** The code of {@code label} for the key of {@code m} (which may learn a new class), NaN for none. */
    static double code(KeyMeta m, String label) {
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
