package io.driftguard.operators.record;

import java.util.Arrays;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One time-series observation of one key: the parsed form of an input record (DESIGN section 3).
 *
 * <p>{@code features} is never null and holds only finite values (parsers reject the rest);
 * {@code featureNames} is null when the input gave features as an array; {@code label} is null
 * when the input carried none. The arrays are not copied: parsers hand over fresh arrays and
 * nothing downstream mutates them.
 *
 * @param key the series key
 * @param ts event time, epoch milliseconds (or the 0-based row index in count-based CSV replay)
 * @param features the feature vector
 * @param featureNames names of the features in order, or null
 * @param label the label as it appeared in the input (number or class name), or null
 */
public record SeriesRecord(
        String key,
        long ts,
        double[] features,
        @Nullable String[] featureNames,
        @Nullable String label) {

    public SeriesRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(features, "features");
        if (featureNames != null && featureNames.length != features.length) {
            throw new IllegalArgumentException(
                    "featureNames has " + featureNames.length + " entries for "
                            + features.length + " features");
        }
    }

    /** Returns the dimension of the feature vector. */
    public int dimension() {
        return features.length;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SeriesRecord that)) {
            return false;
        }
        return ts == that.ts
                && key.equals(that.key)
                && Arrays.equals(features, that.features)
                && Arrays.equals(featureNames, that.featureNames)
                && Objects.equals(label, that.label);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(key, ts, label);
        h = 31 * h + Arrays.hashCode(features);
        return 31 * h + Arrays.hashCode(featureNames);
    }

    @Override
    public String toString() {
        return "SeriesRecord{key=" + key + ", ts=" + ts + ", features="
                + Arrays.toString(features) + ", label=" + label + '}';
    }
}
