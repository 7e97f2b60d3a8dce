package io.driftguard.operators.sketch;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Count and per-feature mean, variance, minimum and maximum of one window, exactly mergeable.
 *
 * <p>A NaN feature value is a missing value: the record counts, the feature's statistics are over
 * its present values only, and {@link #missingRate(int)} reports the share of records that lack
 * it. Each feature keeps its own count of present values.
 *
 * <p>Updates use Welford's recurrence and merges Chan, Golub and LeVeque's pairwise formula, so the
 * merged sketch equals the sketch of the union up to floating-point rounding (about 1e-15
 * relative for well-conditioned data; the rounding of any double-precision mean grows with |mean| / sd).
 * Update is O(d) with no allocation; the sketch holds 4d doubles and d longs.
 *
 * <p>Byte layout, version 2 (big-endian): {@code [version=2:u8][type=1:u8][d:i32][count:i64]}
 * then d doubles each of mean, M2 (sum of squared deviations), min, max, then d longs of the
 * per-feature present counts. Version 1, still read, had no present counts (every value of a
 * version 1 sketch was present).
 */
public final class MomentsSketch {
    static final byte TYPE = 1;
    static final byte VERSION_1 = 1;
    static final byte VERSION_2 = 2;
    private static final String WHAT = "MomentsSketch";

    private final int dimension;
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;
    private final long[] present;
    private long count;

    /** Creates an empty sketch for records of {@code dimension} features. */
    public MomentsSketch(int dimension) {
        Checks.checkArgument(dimension > 0, "dimension must be positive, got %s", dimension);
        this.dimension = dimension;
        this.mean = new double[dimension];
        this.m2 = new double[dimension];
        this.min = new double[dimension];
        this.max = new double[dimension];
        this.present = new long[dimension];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    private MomentsSketch(MomentsSketch other) {
        this.dimension = other.dimension;
        this.count = other.count;
        this.mean = other.mean.clone();
        this.m2 = other.m2.clone();
        this.min = other.min.clone();
        this.max = other.max.clone();
        this.present = other.present.clone();
    }

    /** Adds one record (NaN: missing); rejects a wrong dimension and infinite values. */
    public void update(double[] x) {
        Checks.checkRecord(x, dimension);
        add(x);
    }

    /** {@link #update} without the checks, for a caller that made them. */
    void add(double[] x) {
        count++;
        for (int f = 0; f < dimension; f++) {
            double v = x[f];
            if (v != v) {
                continue; // missing
            }
            long n = ++present[f];
            double delta = v - mean[f];
            mean[f] += delta / n;
            m2[f] += delta * (v - mean[f]);
            if (v < min[f]) {
                min[f] = v;
            }
            if (v > max[f]) {
                max[f] = v;
            }
        }
    }

    /**
     * Merges {@code other} into this sketch (Chan et al. 1979); an empty other changes nothing.
     *
     * @throws IllegalArgumentException on self-merge or a different dimension
     */
    public void merge(MomentsSketch other) {
        Checks.checkArgument(other != null, "other must not be null");
        Checks.checkArgument(other != this, "cannot merge a sketch into itself");
        Checks.checkArgument(
                other.dimension == dimension,
                "dimension mismatch: %s vs %s",
                other.dimension,
                dimension);
        if (other.count == 0) {
            return;
        }
        for (int f = 0; f < dimension; f++) {
            double na = present[f];
            double nb = other.present[f];
            if (nb == 0) {
                continue;
            }
            if (na == 0) {
                mean[f] = other.mean[f];
                m2[f] = other.m2[f];
                min[f] = other.min[f];
                max[f] = other.max[f];
                present[f] = other.present[f];
                continue;
            }
            double n = na + nb;
            present[f] += other.present[f];
            double delta = other.mean[f] - mean[f];
            mean[f] += delta * (nb / n);
            m2[f] += other.m2[f] + delta * delta * (na * nb / n);
            min[f] = Math.min(min[f], other.min[f]);
            max[f] = Math.max(max[f], other.max[f]);
        }
        count += other.count;
    }

    /** Returns an independent copy. */
    public MomentsSketch copy() {
        return new MomentsSketch(this);
    }

    public int dimension() {
        return dimension;
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Records in which feature {@code f} is present (not NaN). */
    public long presentCount(int f) {
        return present[f];
    }

    /** Share of the records in which feature {@code f} is missing (NaN); NaN when empty. */
    public double missingRate(int f) {
        return count == 0 ? Double.NaN : (double) (count - present[f]) / count;
    }

    /** Whether some feature of some record was missing. */
    public boolean hasMissing() {
        for (int f = 0; f < dimension; f++) {
            if (present[f] != count) {
                return true;
            }
        }
        return false;
    }

    /** Mean of the present values of feature {@code f}; NaN when it has none. */
    public double mean(int f) {
        return present[f] == 0 ? Double.NaN : mean[f];
    }

    /** Sum of squared deviations from the mean of feature {@code f}'s present values. */
    public double sumSquaredDeviations(int f) {
        return m2[f];
    }

    /**
     * Unbiased sample variance of feature {@code f}'s present values (divides by n - 1, n the
     * present count); NaN when n < 2.
     */
    public double variance(int f) {
        return present[f] < 2 ? Double.NaN : m2[f] / (present[f] - 1);
    }

    /** Population variance of feature {@code f}'s present values (divides by n); NaN when none. */
    public double populationVariance(int f) {
        return present[f] == 0 ? Double.NaN : m2[f] / present[f];
    }

    /** Minimum of feature {@code f}; +infinity when empty. */
    public double min(int f) {
        return min[f];
    }

    /** Maximum of feature {@code f}; -infinity when empty. */
    public double max(int f) {
        return max[f];
    }

    /** Returns a copy of the per-feature means (0 for a feature with no present value). */
    public double[] means() {
        return mean.clone();
    }

    /** Serialises with the current layout (version 2). */
    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(2 + 4 + 8 + 5 * 8 * dimension);
        buf.put(VERSION_2).put(TYPE).putInt(dimension).putLong(count);
        Bytes.putDoubles(buf, mean, 0, dimension);
        Bytes.putDoubles(buf, m2, 0, dimension);
        Bytes.putDoubles(buf, min, 0, dimension);
        Bytes.putDoubles(buf, max, 0, dimension);
        for (long p : present) {
            buf.putLong(p);
        }
        return buf.array();
    }

    /** Reads bytes written by any released version of {@link #toBytes()}. */
    public static MomentsSketch fromBytes(byte[] bytes) {
        return Bytes.decode(bytes, TYPE, WHAT, VERSION_2, MomentsSketch::read);
    }

    private static MomentsSketch read(ByteBuffer buf, byte version) {
        int d = buf.getInt();
        long n = buf.getLong();
        long need = (version == VERSION_1 ? 32L : 40L) * d;
        Checks.checkArgument(
                d > 0 && need == buf.remaining(),
                "%s bytes are truncated or corrupt: dimension %s needs %s bytes, %s remain",
                WHAT,
                d,
                need,
                buf.remaining());
        Checks.checkArgument(n >= 0, "negative count %s", n);
        MomentsSketch s = new MomentsSketch(d);
        s.count = n;
        buf.asDoubleBuffer().get(s.mean);
        buf.position(buf.position() + 8 * d);
        buf.asDoubleBuffer().get(s.m2);
        buf.position(buf.position() + 8 * d);
        buf.asDoubleBuffer().get(s.min);
        buf.position(buf.position() + 8 * d);
        buf.asDoubleBuffer().get(s.max);
        buf.position(buf.position() + 8 * d);
        for (int f = 0; f < d; f++) {
            long p = version == VERSION_1 ? n : buf.getLong();
            Checks.checkArgument(p >= 0 && p <= n, "bad present count %s of %s", p, n);
            s.present[f] = p;
        }
        Bytes.checkConsumed(buf, WHAT);
        return s;
    }

    @Override
    public String toString() {
        return "MomentsSketch{d=" + dimension + ", count=" + count + "}";
    }
}
