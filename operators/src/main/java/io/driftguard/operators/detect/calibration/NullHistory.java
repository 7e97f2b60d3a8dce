package io.driftguard.operators.detect.calibration;

import io.driftguard.operators.stats.UnivariateTests;
import java.util.Arrays;

/**
 * A bounded history of one statistic's values under no change, and the p-value of a new value
 * against it.
 *
 * <p>Within the range of the history the p-value is the conformal rank {@code (1 + #{h >= s}) /
 * (n + 1)}: valid whenever the new value and the history are exchangeable, which holds for
 * statistics of windows against a common reference on stationary series, however autocorrelated
 * the records inside the windows are. Beyond the {@code k}-th largest past value the p-value comes
 * from an exponential tail fitted to the {@code k = max(10, tailFraction n)} largest excesses (peaks over threshold), so that
 * budgets smaller than {@code 1 / (n + 1)} can be met; the fitted scale is inflated by {@code 1 +
 * 1 / sqrt(k)} (about one standard error) to stay on the safe side of its estimation error. The exponential tail suits
 * kernel two-sample statistics (weighted chi-square limits) and is conservative for lighter tails.
 *
 * <p>Costs: {@link #add} O(1); {@link #pValue} O(n log n) after an addition, O(log n) otherwise.
 */
public final class NullHistory {

    /** Fewest top values the tail is fitted on. */
    static final int MIN_TAIL = 10;

    /** The fitted tail scale is multiplied by {@code 1 + TAIL_INFLATION / sqrt(k)}. */
    static final double TAIL_INFLATION = 1.0;

    private final double[] values;
    private final double tailFraction;
    private int size;
    private int next;
    private double[] sorted;

    /** An empty history of at most {@code capacity} values. */
    public NullHistory(int capacity, double tailFraction) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.values = new double[capacity];
        this.tailFraction = tailFraction;
    }

    /** Adds a value, dropping the oldest when full; non-finite values are rejected. */
    public void add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("statistic must be finite, got " + value);
        }
        values[next] = value;
        next = (next + 1) % values.length;
        size = Math.min(size + 1, values.length);
        sorted = null;
    }

    /** Number of values held. */
    public int size() {
        return size;
    }

    /** Most values held. */
    public int capacity() {
        return values.length;
    }

    /** The held values, oldest first. */
    public double[] valuesOldestFirst() {
        double[] out = new double[size];
        int start = size < values.length ? 0 : next;
        for (int i = 0; i < size; i++) {
            out[i] = values[(start + i) % values.length];
        }
        return out;
    }

    /**
     * The p-value of {@code s}: the probability, under the history's distribution, of a value at
     * least as large. In (0, 1]; 1 for an empty history; {@code +inf} gives the smallest positive
     * double.
     */
    public double pValue(double s) {
        if (Double.isNaN(s)) {
            throw new IllegalArgumentException("statistic is NaN");
        }
        if (size == 0) {
            return 1.0;
        }
        double[] h = sortedValues();
        int n = h.length;
        int atLeast = n - lowerBound(h, s);
        int k = Math.max(MIN_TAIL, (int) Math.ceil(tailFraction * n));
        if (k >= n) {
            return (1.0 + atLeast) / (n + 1.0);
        }
        // u: the (k+1)-th largest value; the tail model applies above it
        double u = h[n - k - 1];
        if (s <= u) {
            return (1.0 + atLeast) / (n + 1.0);
        }
        double excess = 0.0;
        for (int i = n - k; i < n; i++) {
            excess += h[i] - u;
        }
        double spread = h[n - 1] - h[0];
        double beta = Math.max(excess / k, 1e-9 * Math.max(spread, Math.abs(u)) + 1e-300);
        beta *= 1.0 + TAIL_INFLATION / Math.sqrt(k);
        double p = ((k + 1.0) / (n + 1.0)) * Math.exp(-(s - u) / beta);
        return Math.max(p, Double.MIN_VALUE);
    }

    /**
     * A robust standardisation of {@code s}: {@code (s - median) / (1.4826 MAD)} of the history, 0
     * when the history is empty; used to rank channels whose p-values tie.
     */
    public double robustScore(double s) {
        if (size == 0) {
            return 0.0;
        }
        double[] h = sortedValues();
        double median = UnivariateTests.quantileOfSorted(h, 0.5);
        double[] dev = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            dev[i] = Math.abs(h[i] - median);
        }
        Arrays.sort(dev);
        double mad = 1.4826 * UnivariateTests.quantileOfSorted(dev, 0.5);
        if (!(mad > 0.0)) {
            mad = 1e-12 + 1e-9 * Math.abs(median);
        }
        return (s - median) / mad;
    }

    /** Appends another history's values (oldest first) after this one's, keeping the newest. */
    void addAll(NullHistory other) {
        for (double v : other.valuesOldestFirst()) {
            add(v);
        }
    }

    private double[] sortedValues() {
        if (sorted == null) {
            sorted = valuesOldestFirst();
            Arrays.sort(sorted);
        }
        return sorted;
    }

    private static int lowerBound(double[] a, double key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
