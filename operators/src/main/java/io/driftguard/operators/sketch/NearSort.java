package io.driftguard.operators.sketch;

/**
 * Puts a batch of doubles nearly in ascending order before it enters a KLL sketch.
 *
 * <p>KLL appends a batch to its level zero and sorts that level when it compacts it; with the
 * large windows of a streaming job that sort is about half of KLL's cost per value, and it runs
 * in a fraction of the time on input that is already in order (measured with DataSketches 6.1.1,
 * batches of 256: about 21 against 42 ns per value). This arrangement costs far less than a
 * comparison sort: a least-significant-digit radix sort over the top {@value #BITS} bits of each
 * value's order-preserving bit pattern (sign, exponent and 12 mantissa bits), three passes of
 * eight bits, a pass skipped when all values share its digit. Values whose top bits agree (equal to
 * within a relative 2^-12) keep their input order, which KLL's own sort then fixes. The multiset of
 * values is unchanged, so a KLL sketch fed this way answers within the same error bound: KLL's
 * guarantee holds for every order of its input.
 *
 * <p>Cost: O(n + 3 * 256) per batch, no allocation. Not thread-safe: the caller owns the scratch.
 */
final class NearSort {
    static final int BITS = 24;
    private static final int DIGIT = 8;
    private static final int RADIX = 1 << DIGIT;

    private final long[] a;
    private final long[] b;
    private final int[] count = new int[RADIX];

    /** Scratch for batches of at most {@code capacity} values. */
    NearSort(int capacity) {
        Checks.checkArgument(capacity > 0, "capacity must be positive, got %s", capacity);
        a = new long[capacity];
        b = new long[capacity];
    }

    int capacity() {
        return a.length;
    }

    /**
     * Reorders v[0, n) ascending by the top {@value #BITS} bits of each value's order key. Values
     * must not be NaN (they would sort after +infinity).
     */
    void arrange(double[] v, int n) {
        Checks.checkArgument(n >= 0 && n <= a.length && n <= v.length, "n %s outside [0, %s]", n, a.length);
        if (n < 2) {
            return;
        }
        long[] src = a;
        long[] dst = b;
        for (int i = 0; i < n; i++) {
            src[i] = orderKey(v[i]);
        }
        for (int shift = Long.SIZE - BITS; shift < Long.SIZE; shift += DIGIT) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) (src[i] >>> shift) & (RADIX - 1)]++;
            }
            if (count[(int) (src[0] >>> shift) & (RADIX - 1)] == n) {
                continue;
            }
            int start = 0;
            for (int j = 0; j < RADIX; j++) {
                int c = count[j];
                count[j] = start;
                start += c;
            }
            for (int i = 0; i < n; i++) {
                long k = src[i];
                dst[count[(int) (k >>> shift) & (RADIX - 1)]++] = k;
            }
            long[] t = src;
            src = dst;
            dst = t;
        }
        for (int i = 0; i < n; i++) {
            v[i] = fromOrderKey(src[i]);
        }
    }

    /**
     * A long whose unsigned order is the numeric order of doubles (-0.0 just below 0.0): the sign
     * bit flipped for non-negative values, all bits flipped for negative ones.
     */
    static long orderKey(double x) {
        long bits = Double.doubleToRawLongBits(x);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }

    static double fromOrderKey(long key) {
        // the top bit of the key is set exactly for non-negative values
        long bits = key < 0 ? key ^ Long.MIN_VALUE : ~key;
        return Double.longBitsToDouble(bits);
    }
}
