package io.driftguard.operators.stats;

import java.util.List;
import java.util.Locale;

/**
 * The offline two-sample report: MMD at the median bandwidth with its permutation p-value, the
 * aggregated multi-bandwidth test, the proxy A-distance and per-feature scores.
 *
 * @param mmd2 unbiased MMD^2 at the median bandwidth
 * @param sigma the median-heuristic bandwidth
 * @param pValue permutation p-value of mmd2, in (0, 1]
 * @param aDistance proxy A-distance, in [0, 2]
 * @param nRef rows of the reference sample
 * @param nCur rows of the current sample
 * @param nRefUsed reference rows used by the kernel statistics (after subsampling)
 * @param nCurUsed current rows used by the kernel statistics
 * @param permutations B
 * @param aggregatedPValue p-value of the multi-bandwidth test, in (0, 1]
 * @param bandwidths the bandwidth grid of the multi-bandwidth test
 * @param bandwidthMmd2 unbiased MMD^2 per bandwidth
 * @param bandwidthPValues single-bandwidth p-value per bandwidth (not multiplicity corrected)
 * @param features per-feature scores, most responsible first (empty when not requested)
 */
public record TwoSampleResult(
        double mmd2,
        double sigma,
        double pValue,
        double aDistance,
        int nRef,
        int nCur,
        int nRefUsed,
        int nCurUsed,
        int permutations,
        double aggregatedPValue,
        double[] bandwidths,
        double[] bandwidthMmd2,
        double[] bandwidthPValues,
        List<FeatureScore> features) {

    /** Validates the fields and copies the arrays and list. */
    public TwoSampleResult {
        Checks.checkArgument(pValue > 0 && pValue <= 1, "pValue must be in (0, 1], got %s", pValue);
        Checks.checkArgument(
                aggregatedPValue > 0 && aggregatedPValue <= 1,
                "aggregatedPValue must be in (0, 1], got %s",
                aggregatedPValue);
        Checks.checkArgument(
                aDistance >= 0 && aDistance <= 2, "aDistance must be in [0, 2], got %s", aDistance);
        Checks.checkArgument(
                bandwidths != null && bandwidthMmd2 != null && bandwidthPValues != null,
                "arrays must not be null");
        Checks.checkArgument(features != null, "features must not be null");
        bandwidths = bandwidths.clone();
        bandwidthMmd2 = bandwidthMmd2.clone();
        bandwidthPValues = bandwidthPValues.clone();
        features = List.copyOf(features);
    }

    @Override
    public double[] bandwidths() {
        return bandwidths.clone();
    }

    @Override
    public double[] bandwidthMmd2() {
        return bandwidthMmd2.clone();
    }

    @Override
    public double[] bandwidthPValues() {
        return bandwidthPValues.clone();
    }

    /**
     * One JSON object with snake_case keys: mmd2, sigma, p_value, a_distance, n_ref, n_cur,
     * n_ref_used, n_cur_used, permutations, p_value_multi, bandwidths, bandwidth_mmd2,
     * bandwidth_p_values, features (list of {name, score, share, mmd2, ks, wasserstein}).
     * Non-finite numbers are written as null.
     */
    public String toJson() {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        num(b, "mmd2", mmd2).append(',');
        num(b, "sigma", sigma).append(',');
        num(b, "p_value", pValue).append(',');
        num(b, "a_distance", aDistance).append(',');
        b.append("\"n_ref\":").append(nRef).append(',');
        b.append("\"n_cur\":").append(nCur).append(',');
        b.append("\"n_ref_used\":").append(nRefUsed).append(',');
        b.append("\"n_cur_used\":").append(nCurUsed).append(',');
        b.append("\"permutations\":").append(permutations).append(',');
        num(b, "p_value_multi", aggregatedPValue).append(',');
        array(b, "bandwidths", bandwidths).append(',');
        array(b, "bandwidth_mmd2", bandwidthMmd2).append(',');
        array(b, "bandwidth_p_values", bandwidthPValues).append(',');
        b.append("\"features\":[");
        for (int i = 0; i < features.size(); i++) {
            FeatureScore f = features.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"name\":");
            string(b, f.name()).append(',');
            num(b, "score", f.score()).append(',');
            num(b, "share", f.share()).append(',');
            num(b, "mmd2", f.mmd2()).append(',');
            num(b, "ks", f.ks()).append(',');
            num(b, "wasserstein", f.wasserstein()).append('}');
        }
        return b.append("]}").toString();
    }

    private static StringBuilder num(StringBuilder b, String key, double v) {
        b.append('"').append(key).append("\":");
        return value(b, v);
    }

    private static StringBuilder value(StringBuilder b, double v) {
        return Double.isFinite(v) ? b.append(v) : b.append("null");
    }

    private static StringBuilder array(StringBuilder b, String key, double[] v) {
        b.append('"').append(key).append("\":[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            value(b, v[i]);
        }
        return b.append(']');
    }

    private static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwoSampleResult r && toJson().equals(r.toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return "TwoSampleResult" + toJson();
    }

}
