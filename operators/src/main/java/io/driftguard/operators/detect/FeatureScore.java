package io.driftguard.operators.detect;

import java.util.Objects;

/**
 * One feature's contribution to a window's drift: higher means more responsible.
 *
 * @param name the feature name ({@code f0}, {@code f1}, ... when the input had no names)
 * @param score a non-negative score; its meaning is stated by the producer of the event
 */
public record FeatureScore(String name, double score) implements java.io.Serializable {
    public FeatureScore {
        Objects.requireNonNull(name, "name");
    }
}
