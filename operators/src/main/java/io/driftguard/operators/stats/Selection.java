package io.driftguard.operators.stats;

/** In-place selection of the k-th smallest value (Hoare's quickselect, median-of-three pivot). */
final class Selection {
    private Selection() {}

    /**
     * Reorders {@code a} so that a[k] is the k-th smallest (0-based), every a[i] for i < k is <=
     * a[k] and every a[i] for i > k is >= a[k]; returns a[k]. Expected O(n).
     */
    static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // Median of three moved to a[lo] as the pivot.
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] < a[mid]) {
                swap(a, hi, mid);
            }
            swap(a, lo, mid);
            double pivot = a[lo];
            int i = lo;
            int j = hi + 1;
            while (true) {
                do {
                    i++;
                } while (i <= hi && a[i] < pivot);
                do {
                    j--;
                } while (a[j] > pivot);
                if (i >= j) {
                    break;
                }
                swap(a, i, j);
            }
            swap(a, lo, j);
            if (j == k) {
                return a[k];
            } else if (j < k) {
                lo = j + 1;
            } else {
                hi = j - 1;
            }
        }
        return a[k];
    }

    /** Arrays at least this long are better served by {@link #bucketSelect}. */
    static final int BUCKETED_MIN_LENGTH = 4096;

    private static final int BUCKETS = 4096;

    /**
     * Returns the k-th smallest (0-based) of finite values without reordering {@code a}: a
     * histogram over [min, max] finds the bucket that holds rank k (bucket order follows value
     * order, so the ranks before it are all smaller or equal), then quickselect runs among that
     * bucket's values only. Three branch-light passes instead of quickselect's mispredicted
     * partitions; exact.
     */
    static double bucketSelect(double[] a, int k) {
        Buckets h = Buckets.of(a);
        if (h.counts == null) {
            return h.min;
        }
        int b = h.bucketOfRank(k);
        return select(h.gather(a, b, b), k - h.below(b));
    }

    /**
     * Returns {k-th, (k+1)-th} smallest (0-based) of finite values without reordering {@code a},
     * from one histogram: the values of the bucket(s) holding the two ranks (one bucket, or two
     * with only empty ones between) are gathered and sorted. Requires k + 1 < a.length.
     */
    static double[] bucketSelectAdjacent(double[] a, int k) {
        Buckets h = Buckets.of(a);
        if (h.counts == null) {
            return new double[] {h.min, h.min};
        }
        int lo = h.bucketOfRank(k);
        int hi = h.bucketOfRank(k + 1);
        double[] values = h.gather(a, lo, hi);
        java.util.Arrays.sort(values);
        int below = h.below(lo);
        return new double[] {values[k - below], values[k + 1 - below]};
    }

    /**
     * A histogram of {@link #BUCKETS} equal buckets over [min, max]; bucket order follows value
     * order. {@code counts} is null when all values are equal.
     */
    private static final class Buckets {
        final double min;
        final double scale;
        final int[] counts;

        private Buckets(double min, double scale, int[] counts) {
            this.min = min;
            this.scale = scale;
            this.counts = counts;
        }

        static Buckets of(double[] a) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : a) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (!(max > min)) {
                return new Buckets(min, 0, null);
            }
            double scale = BUCKETS / (max - min);
            int[] counts = new int[BUCKETS + 1];
            for (double v : a) {
                counts[(int) ((v - min) * scale)]++;
            }
            return new Buckets(min, scale, counts);
        }

        /** The bucket holding the value of rank k. */
        int bucketOfRank(int k) {
            int below = 0;
            int b = 0;
            while (below + counts[b] <= k) {
                below += counts[b];
                b++;
            }
            return b;
        }

        /** Number of values in the buckets before b. */
        int below(int b) {
            int n = 0;
            for (int i = 0; i < b; i++) {
                n += counts[i];
            }
            return n;
        }

        /** The values of buckets lo..hi, in array order. */
        double[] gather(double[] a, int lo, int hi) {
            int n = 0;
            for (int b = lo; b <= hi; b++) {
                n += counts[b];
            }
            double[] out = new double[n];
            int t = 0;
            for (double v : a) {
                int b = (int) ((v - min) * scale);
                if (b >= lo && b <= hi) {
                    out[t++] = v;
                }
            }
            return out;
        }
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
