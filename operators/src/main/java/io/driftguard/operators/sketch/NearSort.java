package io.driftguard.operators.sketch;

/**
 * Puts a batch of doubles nearly in ascending order before it enters a KLL sketch.
 *
 * <p>KLL appends a batch to its level zero and sorts that level when it compacts it; with the
 * large windows of a streaming job that sort is about half of KLL's cost per value, and it runs
 * in a fraction of the time on input that is already in order (measured with DataSketches 6.1.1,
 * batches of 256: about 21 against 42 ns per value). This arrangement costs far less than a
 * comparison sort: each value's position between the batch's minimum and maximum, quantised to
 * {@value #BITS} bits, is sorted by a stable two-pass counting sort of eight-bit digits (about 8-13
 * ns per value at 256 values, against 15-17 for a radix sort over the top 24 bits of the values'
 * bit patterns, whose few distinct exponent digits serialise the counter updates). Values within
 * 1/65536 of the batch's range of each other keep their input order, which KLL's own sort then
 * fixes; a batch whose range an outlier stretches gets coarser order, and a batch whose range
 * overflows (or is zero) stays as it is. The multiset of values is unchanged, so a KLL sketch fed
 * this way answers within the same error bound: KLL's guarantee holds for every order of its
 * input.
 *
 * <p>Cost: O(n + 2 * 256) per batch, no allocation. Not thread-safe: the caller owns the scratch.
 */
final class NearSort {
    static final int BITS = 16;
    private static final int DIGIT = 8;
    private static final int RADIX = 1 << DIGIT;
    /** Maps the batch's range onto [0, 2^16): the largest value's key is 65535. */
    private static final double LEVELS = (1 << BITS) - 0.5;

    private final int[] keys;
    private final int[] keys2;
    private final double[] values2;
    private final int[] count = new int[2 * RADIX];

    /** Scratch for batches of at most {@code capacity} values. */
    NearSort(int capacity) {
        Checks.checkArgument(capacity > 0, "capacity must be positive, got %s", capacity);
        keys = new int[capacity];
        keys2 = new int[capacity];
        values2 = new double[capacity];
    }

    /** The factor that maps a batch's range {@code range} > 0 onto the keys. */
    static double scale(double range) {
        return LEVELS / range;
    }

    /** The key of {@code x} in a batch with minimum {@code lo}, for {@code scale(range)}. */
    static int key(double x, double lo, double scale) {
        return (int) ((x - lo) * scale);
    }

    /** Reorders v[0, n) ascending by {@link #key}; values must be finite. */
    void arrange(double[] v, int n) {
        Checks.checkArgument(n >= 0 && n <= keys.length && n <= v.length, "n %s outside [0, %s]", n, keys.length);
        if (n < 2) {
            return;
        }
        double lo = v[0];
        double hi = v[0];
        for (int i = 1; i < n; i++) {
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        double range = hi - lo;
        if (!(range > 0) || range == Double.POSITIVE_INFINITY) {
            return;
        }
        double scale = scale(range);
        int[] c = count;
        java.util.Arrays.fill(c, 0);
        for (int i = 0; i < n; i++) {
            int k = key(v[i], lo, scale);
            keys[i] = k;
            c[k & (RADIX - 1)]++;
            c[RADIX + (k >>> DIGIT)]++;
        }
        int low = 0;
        int high = 0;
        for (int j = 0; j < RADIX; j++) {
            int m = c[j];
            c[j] = low;
            low += m;
            m = c[RADIX + j];
            c[RADIX + j] = high;
            high += m;
        }
        for (int i = 0; i < n; i++) {
            int k = keys[i];
            int p = c[k & (RADIX - 1)]++;
            keys2[p] = k;
            values2[p] = v[i];
        }
        for (int i = 0; i < n; i++) {
            v[c[RADIX + (keys2[i] >>> DIGIT)]++] = values2[i];
        }
    }
}
