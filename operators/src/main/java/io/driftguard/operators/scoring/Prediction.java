package io.driftguard.operators.scoring;

import java.util.Arrays;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * One scored record (DESIGN section 3): the prediction comes from a model that has not been
 * trained on this record's label.
 *
 * @param key the record key
 * @param ts the record's time or index
 * @param label its label as in the input, or null
 * @param predictedClass the predicted class name (classification), or null
 * @param predictedValue the predicted number (regression), else NaN
 * @param probabilities class probabilities in the order of {@code classes}, or null (the prior, or
 *     regression)
 * @param classes the class names of {@code probabilities}, or null
 * @param modelVersion the version that scored it; 0 for the key's prior, -1 when nothing could
 *     be predicted yet (no label seen)
 * @param modelId the model id of that version when it is not the key's own (a cold start borrows
 *     another key's model), else null
 */
public record Prediction(
        String key,
        long ts,
        @Nullable String label,
        @Nullable String predictedClass,
        double predictedValue,
        @Nullable double[] probabilities,
        @Nullable String[] classes,
        long modelVersion,
        @Nullable String modelId) {

    public Prediction {
        Objects.requireNonNull(key, "key");
    }

    /** A prediction by the key's own model (or its prior). */
    public Prediction(String key, long ts, @Nullable String label, @Nullable String predictedClass,
            double predictedValue, @Nullable double[] probabilities, @Nullable String[] classes, long modelVersion) {
        this(key, ts, label, predictedClass, predictedValue, probabilities, classes, modelVersion, null);
    }

    /** Whether the prediction matches the label (classification). */
    public boolean correct() {
        return label != null && label.equals(predictedClass);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p
                && key.equals(p.key)
                && ts == p.ts
                && Objects.equals(label, p.label)
                && Objects.equals(predictedClass, p.predictedClass)
                && Double.compare(predictedValue, p.predictedValue) == 0
                && Arrays.equals(probabilities, p.probabilities)
                && Arrays.equals(classes, p.classes)
                && modelVersion == p.modelVersion
                && Objects.equals(modelId, p.modelId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, ts, label, predictedClass, modelVersion);
    }

    @Override
    public String toString() {
        return "Prediction{" + key + "@" + ts + " label=" + label + " predicted="
                + (predictedClass != null ? predictedClass : predictedValue) + " v" + modelVersion + '}';
    }
}
