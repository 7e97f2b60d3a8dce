package io.driftguard.operators.detect;

import java.util.Objects;

/**
 * One feature's share of missing (NaN) values in a window and in its reference.
 *
 * @param name the feature name ({@code f0}, {@code f1}, ... when the input had no names)
 * @param rate share of the window's records that lack the feature, in [0, 1]
 * @param referenceRate share of the reference's records (its sample) that lack it, in [0, 1]
 */
public record MissingRate(String name, double rate, double referenceRate) implements java.io.Serializable {
    public MissingRate {
        Objects.requireNonNull(name, "name");
    }
}
