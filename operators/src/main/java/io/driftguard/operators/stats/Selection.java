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
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (!(max > min)) {
            return min;
        }
        double scale = BUCKETS / (max - min);
        int[] counts = new int[BUCKETS + 1];
        for (double v : a) {
            counts[(int) ((v - min) * scale)]++;
        }
        int below = 0;
        int b = 0;
        while (below + counts[b] <= k) {
            below += counts[b];
            b++;
        }
        double[] bucket = new double[counts[b]];
        int t = 0;
        for (double v : a) {
            if ((int) ((v - min) * scale) == b) {
                bucket[t++] = v;
            }
        }
        return select(bucket, k - below);
    }

    /**
     * Returns {k-th, (k+1)-th} smallest (0-based) of finite values without reordering {@code a},
     * from one histogram: the values of the bucket(s) holding the two ranks (one bucket, or two
     * with only empty ones between) are gathered and sorted. Requires k + 1 < a.length.
     */
    static double[] bucketSelectAdjacent(double[] a, int k) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (!(max > min)) {
            return new double[] {min, min};
        }
        double scale = BUCKETS / (max - min);
        int[] counts = new int[BUCKETS + 1];
        for (double v : a) {
            counts[(int) ((v - min) * scale)]++;
        }
        int below = 0;
        int lo = 0;
        while (below + counts[lo] <= k) {
            below += counts[lo];
            lo++;
        }
        int hi = lo;
        int through = below + counts[lo];
        while (through <= k + 1) {
            hi++;
            through += counts[hi];
        }
        double[] values = new double[through - below];
        int t = 0;
        for (double v : a) {
            int b = (int) ((v - min) * scale);
            if (b >= lo && b <= hi) {
                values[t++] = v;
            }
        }
        java.util.Arrays.sort(values);
        return new double[] {values[k - below], values[k + 1 - below]};
    }

    private static void swap(double[] a, int i, int j) {
        double t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
