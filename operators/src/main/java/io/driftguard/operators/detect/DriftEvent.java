package io.driftguard.operators.detect;

import io.driftguard.operators.model.PrequentialWindow;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import javax.annotation.Nullable;

/**
 * The result of evaluating one closed window of one key against its reference (DESIGN section 3).
 *
 * <p>A plain record of Flink-serialisable fields (the feature scores are an array, not a list,
 * so that Flink's POJO serializer handles it without a generic fallback).
 *
 * <p>Times are epoch milliseconds, or record indices for count windows over data without a time
 * column. Optional statistics are {@code NaN} or null when they do not apply.
 *
 * @param key the series key
 * @param windowStart first time covered by the window, inclusive
 * @param windowEnd end of the window, exclusive
 * @param referenceStart start of the reference window(s), inclusive
 * @param referenceEnd end of the reference window(s), exclusive
 * @param nRef records summarised on the reference side
 * @param nCur records summarised on the current side
 * @param mmd2 unbiased MMD^2 at the median-heuristic bandwidth on the window samples
 * @param sigma the kernel bandwidth used for {@code mmd2}
 * @param pValue permutation p-value of {@code mmd2}, in (0, 1]
 * @param aggregatedPValue p-value of the multi-bandwidth test, in (0, 1], or NaN where it was
 *     not needed for the decision
 * @param aDistance proxy A-distance, in [0, 2]
 * @param drift the calibrated decision
 * @param calibrated true when {@code drift} is decided against the key's own null history; false
 *     while the key is still gathering it (its first windows) and, under {@code previous} and
 *     {@code last-K}, while its reference rebuilds after a confirmed change (the history is
 *     kept); {@code drift} is then false under the {@code fixed} and {@code seasonal} policies and
 *     the warm-up test's verdict under {@code previous} and {@code last-K}
 * @param features per-feature scores, most responsible first
 * @param changeAt estimated start of the change, or null
 * @param mu MEDA's dynamic factor when labels are present, else NaN
 * @param nearestWindowStart start of the most similar earlier window (recurring regime), or null
 * @param nearestDistance RFF MMD^2 to that window, or NaN
 * @param model the window's prequential error and the model version behind it, when a model is
 *     deployed (added by the scoring operator), else null
 * @param missing per feature, the share of missing values in the window and in the reference, in
 *     feature order; null when no feature had a missing value on either side
 */
public record DriftEvent(
        String key,
        long windowStart,
        long windowEnd,
        long referenceStart,
        long referenceEnd,
        long nRef,
        long nCur,
        double mmd2,
        double sigma,
        double pValue,
        double aggregatedPValue,
        double aDistance,
        boolean drift,
        boolean calibrated,
        FeatureScore[] features,
        @Nullable Long changeAt,
        double mu,
        @Nullable Long nearestWindowStart,
        double nearestDistance,
        @Nullable PrequentialWindow model,
        @Nullable MissingRate[] missing) implements Serializable {

    private static final long serialVersionUID = 1L;

    public DriftEvent {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(features, "features");
        if (windowEnd < windowStart) {
            throw new IllegalArgumentException(
                    "window end " + windowEnd + " before start " + windowStart);
        }
    }

    /** A copy carrying the window's prequential error. */
    public DriftEvent withModel(@Nullable PrequentialWindow m) {
        return toBuilder().model(m).build();
    }

    /** A copy carrying the per-feature missing rates (null: none). */
    public DriftEvent withMissing(@Nullable MissingRate[] rates) {
        return toBuilder().missing(rates).build();
    }

    /** A builder of an event of {@code key} for the window [start, end), every other field unset. */
    public static Builder builder(String key, long windowStart, long windowEnd) {
        return new Builder(key, windowStart, windowEnd);
    }

    /** A builder holding this event's fields, to change some of them. */
    public Builder toBuilder() {
        return new Builder(key, windowStart, windowEnd)
                .reference(referenceStart, referenceEnd, nRef)
                .current(nCur)
                .mmd(mmd2, sigma)
                .pValues(pValue, aggregatedPValue)
                .aDistance(aDistance)
                .decision(drift, calibrated)
                .features(features)
                .changeAt(changeAt)
                .mu(mu)
                .nearest(nearestWindowStart, nearestDistance)
                .model(model)
                .missing(missing);
    }

    /**
     * Builds a {@link DriftEvent} field group by field group, so that a new field touches this
     * class alone. Unset statistics are NaN, unset references null, counts 0, decisions false.
     */
    public static final class Builder {
        private final String key;
        private final long windowStart;
        private final long windowEnd;
        private long referenceStart;
        private long referenceEnd;
        private long nRef;
        private long nCur;
        private double mmd2 = Double.NaN;
        private double sigma = Double.NaN;
        private double pValue = Double.NaN;
        private double aggregatedPValue = Double.NaN;
        private double aDistance = Double.NaN;
        private boolean drift;
        private boolean calibrated;
        private FeatureScore[] features = new FeatureScore[0];
        private @Nullable Long changeAt;
        private double mu = Double.NaN;
        private @Nullable Long nearestWindowStart;
        private double nearestDistance = Double.NaN;
        private @Nullable PrequentialWindow model;
        private @Nullable MissingRate[] missing;

        private Builder(String key, long windowStart, long windowEnd) {
            this.key = key;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
        }

        /** The reference's span [start, end) and the records summarised on its side. */
        public Builder reference(long start, long end, long records) {
            this.referenceStart = start;
            this.referenceEnd = end;
            this.nRef = records;
            return this;
        }

        /** Records summarised on the window's side. */
        public Builder current(long records) {
            this.nCur = records;
            return this;
        }

        /** The MMD^2 that decided and its bandwidth. */
        public Builder mmd(double mmd2, double sigma) {
            this.mmd2 = mmd2;
            this.sigma = sigma;
            return this;
        }

        /** The decision's p-value and the aggregated multi-bandwidth test's (NaN: not run). */
        public Builder pValues(double pValue, double aggregated) {
            this.pValue = pValue;
            this.aggregatedPValue = aggregated;
            return this;
        }

        public Builder aDistance(double aDistance) {
            this.aDistance = aDistance;
            return this;
        }

        /** Whether the window drifted, and whether the key's own null history decided it. */
        public Builder decision(boolean drift, boolean calibrated) {
            this.drift = drift;
            this.calibrated = calibrated;
            return this;
        }

        public Builder features(FeatureScore[] features) {
            this.features = features;
            return this;
        }

        public Builder changeAt(@Nullable Long changeAt) {
            this.changeAt = changeAt;
            return this;
        }

        public Builder mu(double mu) {
            this.mu = mu;
            return this;
        }

        /** The most similar earlier window's start (null: none) and its RFF MMD^2. */
        public Builder nearest(@Nullable Long windowStart, double distance) {
            this.nearestWindowStart = windowStart;
            this.nearestDistance = distance;
            return this;
        }

        public Builder model(@Nullable PrequentialWindow model) {
            this.model = model;
            return this;
        }

        public Builder missing(@Nullable MissingRate[] missing) {
            this.missing = missing;
            return this;
        }

        public DriftEvent build() {
            return new DriftEvent(key, windowStart, windowEnd, referenceStart, referenceEnd, nRef, nCur, mmd2, sigma,
                    pValue, aggregatedPValue, aDistance, drift, calibrated, features, changeAt, mu,
                    nearestWindowStart, nearestDistance, model, missing);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DriftEvent e
                && key.equals(e.key)
                && windowStart == e.windowStart
                && windowEnd == e.windowEnd
                && referenceStart == e.referenceStart
                && referenceEnd == e.referenceEnd
                && nRef == e.nRef
                && nCur == e.nCur
                && Double.compare(mmd2, e.mmd2) == 0
                && Double.compare(sigma, e.sigma) == 0
                && Double.compare(pValue, e.pValue) == 0
                && Double.compare(aggregatedPValue, e.aggregatedPValue) == 0
                && Double.compare(aDistance, e.aDistance) == 0
                && drift == e.drift
                && calibrated == e.calibrated
                && Arrays.equals(features, e.features)
                && Objects.equals(changeAt, e.changeAt)
                && Double.compare(mu, e.mu) == 0
                && Objects.equals(nearestWindowStart, e.nearestWindowStart)
                && Double.compare(nearestDistance, e.nearestDistance) == 0
                && Objects.equals(model, e.model)
                && Arrays.equals(missing, e.missing);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(key, windowStart, windowEnd, mmd2, pValue, drift)
                + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "DriftEvent{key=" + key + ", window=[" + windowStart + ", " + windowEnd
                + "), mmd2=" + mmd2 + ", p=" + pValue + ", pAgg=" + aggregatedPValue
                + ", aDist=" + aDistance + ", drift=" + drift + ", calibrated=" + calibrated + ", features="
                + Arrays.toString(features) + '}';
    }
}
