package io.driftguard.operators.stats;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * MEDA's dynamic distribution alignment factor (Wang et al. 2018, ACM MM), weighing marginal
 * against conditional shift.
 *
 * <p>mu = 1 - d_M / (d_M + agg_c d_c), with d_M the proxy A-distance between the two samples and
 * d_c the proxy A-distance between their class-c subsamples. mu near 0 means the marginal shift
 * dominates; near 1, the conditional one. DESIGN fixes agg = sum ({@link Aggregation#SUM}, the
 * default): with many classes the sum grows and pushes mu towards 1. {@link Aggregation#MEAN}
 * averages the d_c instead, as some implementations do, which keeps mu comparable across numbers of
 * classes. When d_M + agg d_c = 0 (no measurable shift at all) mu is 1/2: neither part dominates.
 * Classes with fewer than {@link #MIN_CLASS_SIZE} records on either side are skipped.
 */
public final class Meda {
    /** Minimum records of a class on each side for its conditional distance to be computed. */
    public static final int MIN_CLASS_SIZE = 2;

    /** How the class-conditional distances are combined. */
    public enum Aggregation {
        /** sum_c d_c, as in DESIGN section 1. */
        SUM,
        /** (1/C) sum_c d_c. */
        MEAN
    }

    /**
     * The factor and its inputs.
     *
     * @param mu the dynamic factor, in [0, 1]
     * @param marginal d_M
     * @param conditional d_c per class code, ascending
     * @param aggregation how the d_c were combined
     */
    public record Result(
            double mu, double marginal, Map<Integer, Double> conditional, Aggregation aggregation) {
        /** Validates and copies. */
        public Result {
            Checks.checkArgument(mu >= 0 && mu <= 1, "mu must be in [0, 1], got %s", mu);
            Checks.checkArgument(conditional != null && aggregation != null, "null field");
            conditional = Collections.unmodifiableMap(new TreeMap<>(conditional));
        }
    }

    private Meda() {}

    /** mu = 1 - marginal / (marginal + agg(conditional)); 1/2 when the denominator is 0. */
    public static double dynamicFactor(double marginal, double[] conditional, Aggregation agg) {
        Checks.checkArgument(
                marginal >= 0 && Double.isFinite(marginal), "marginal must be >= 0, got %s", marginal);
        Checks.checkArgument(conditional != null && agg != null, "arguments must not be null");
        double sum = 0;
        for (double c : conditional) {
            Checks.checkArgument(c >= 0 && Double.isFinite(c), "conditional must be >= 0, got %s", c);
            sum += c;
        }
        double combined = agg == Aggregation.MEAN && conditional.length > 0 ? sum / conditional.length : sum;
        double denominator = marginal + combined;
        if (denominator == 0) {
            return 0.5;
        }
        return 1.0 - marginal / denominator;
    }

    /**
     * Computes d_M and the d_c with {@link ProxyADistance} (default folds and lambda) and returns
     * mu. Labels are class codes aligned with the rows.
     */
    public static Result estimate(
            double[][] source,
            int[] sourceLabels,
            double[][] target,
            int[] targetLabels,
            Aggregation agg,
            long seed) {
        Checks.checkPair(source, target);
        Checks.checkArgument(
                sourceLabels != null && sourceLabels.length == source.length,
                "sourceLabels must align with source");
        Checks.checkArgument(
                targetLabels != null && targetLabels.length == target.length,
                "targetLabels must align with target");
        Checks.checkArgument(agg != null, "aggregation must not be null");
        double marginal = ProxyADistance.compute(source, target, seed);
        Map<Integer, List<double[]>> s = byClass(source, sourceLabels);
        Map<Integer, List<double[]>> t = byClass(target, targetLabels);
        Map<Integer, Double> conditional = new TreeMap<>();
        for (Map.Entry<Integer, List<double[]>> e : s.entrySet()) {
            List<double[]> other = t.get(e.getKey());
            if (other == null
                    || e.getValue().size() < MIN_CLASS_SIZE
                    || other.size() < MIN_CLASS_SIZE) {
                continue;
            }
            double dc =
                    ProxyADistance.compute(
                            e.getValue().toArray(new double[0][]),
                            other.toArray(new double[0][]),
                            seed + 31L * (e.getKey() + 1));
            conditional.put(e.getKey(), dc);
        }
        double[] dc = conditional.values().stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(dynamicFactor(marginal, dc, agg), marginal, conditional, agg);
    }

    private static Map<Integer, List<double[]>> byClass(double[][] x, int[] labels) {
        Map<Integer, List<double[]>> out = new TreeMap<>();
        for (int i = 0; i < x.length; i++) {
            out.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(x[i]);
        }
        return out;
    }
}
