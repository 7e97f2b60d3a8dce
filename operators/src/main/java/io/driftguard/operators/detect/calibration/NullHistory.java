package io.driftguard.operators.detect.calibration;

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
 * <p>Costs: {@link #add} O(n) memory moves once a p-value has been asked for (a sorted copy is kept
 * in step), {@link #pValue} O(log n) (O(n log n) the first time), {@link #robustScore} O(n).
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
        boolean full = size == values.length;
        double evicted = values[next];
        values[next] = value;
        next = (next + 1) % values.length;
        if (sorted != null) {
            // keep the sorted copy in step: one binary search and one shift per change
            if (full) {
                int at = lowerBound(sorted, size, evicted);
                System.arraycopy(sorted, at + 1, sorted, at, size - at - 1);
                size--;
            }
            int at = lowerBound(sorted, size, value);
            System.arraycopy(sorted, at, sorted, at + 1, size - at);
            sorted[at] = value;
        }
        size = Math.min(size + 1, values.length);
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
        int n = size;
        int atLeast = n - lowerBound(h, n, s);
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
        int n = size;
        double median = quantile(h, n, 0.5);
        double mad = 1.4826 * medianDeviation(h, n, median);
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
            sorted = Arrays.copyOf(valuesOldestFirst(), values.length);
            Arrays.sort(sorted, 0, size);
        }
        return sorted;
    }

    /** The q-quantile of the first n values of sorted a, interpolated between adjacent ranks. */
    private static double quantile(double[] a, int n, double q) {
        double pos = q * (n - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, n - 1);
        double frac = pos - i;
        return a[i] * (1 - frac) + a[j] * frac;
    }

    /**
     * The median of |a_i - c| over the first n values of sorted a, without sorting the
     * deviations: they are the merge of two sorted runs walking outward from c.
     */
    private static double medianDeviation(double[] a, int n, double c) {
        double pos = 0.5 * (n - 1);
        int lowRank = (int) Math.floor(pos);
        int highRank = Math.min(lowRank + 1, n - 1);
        double frac = pos - lowRank;
        int right = lowerBound(a, n, c);
        int left = right - 1;
        double low = 0;
        double high = 0;
        for (int r = 0; r <= highRank; r++) {
            double v;
            if (left >= 0 && (right >= n || c - a[left] <= a[right] - c)) {
                v = c - a[left--];
            } else {
                v = a[right++] - c;
            }
            if (r == lowRank) {
                low = v;
            }
            if (r == highRank) {
                high = v;
            }
        }
        return low * (1 - frac) + high * frac;
    }

    private static int lowerBound(double[] a, int n, double key) {
        int lo = 0;
        int hi = n;
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
