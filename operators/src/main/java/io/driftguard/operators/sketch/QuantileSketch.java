package io.driftguard.operators.sketch;

import java.nio.ByteBuffer;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * One KLL quantile sketch per feature (Karnin, Lang and Liberty 2016, via Apache DataSketches).
 *
 * <p>Error bound: a rank query is off by at most {@link #normalizedRankError()} (about 1.65% for
 * k = 200) with probability 99%, also after any number of merges. Space is O(k log(n/k)) per
 * feature; update is amortised O(1) per feature. KLL compaction draws random bits that are not
 * seeded, so two sketches of the same stream may differ within the error bound. Serialisation is
 * deterministic, but a query may sort KLL's level-zero buffer in place, which changes the bytes (not
 * the content) of a later {@link #toBytes()}.
 *
 * <p>A NaN value is missing: each feature's sketch skips it, so a feature's quantiles are those of
 * its present values and its count ({@link #count(int)}) is its present count.
 *
 * <p>Byte layout, version 1 (big-endian): {@code [version=1:u8][type=2:u8][d:i32][k:i32]} then, per
 * feature, {@code [length:i32][DataSketches KLL bytes]}.
 */
public final class QuantileSketch {
    static final byte TYPE = 2;
    static final byte VERSION_1 = 1;
    private static final String WHAT = "QuantileSketch";

    private final int k;
    private final KllDoublesSketch[] sketches;

    /** Creates an empty sketch for {@code dimension} features with KLL accuracy parameter k. */
    public QuantileSketch(int dimension, int k) {
        Checks.checkArgument(dimension > 0, "dimension must be positive, got %s", dimension);
        Checks.checkArgument(k >= 8 && k <= 65535, "KLL k must be in [8, 65535], got %s", k);
        this.k = k;
        this.sketches = new KllDoublesSketch[dimension];
        for (int f = 0; f < dimension; f++) {
            sketches[f] = KllDoublesSketch.newHeapInstance(k);
        }
    }

    private QuantileSketch(int k, KllDoublesSketch[] sketches) {
        this.k = k;
        this.sketches = sketches;
    }

    /** Adds one record (NaN values skipped); rejects a wrong dimension and infinite values. */
    public void update(double[] x) {
        Checks.checkRecord(x, sketches.length);
        add(x);
    }

    /** {@link #update} without the checks, for a caller that made them. */
    void add(double[] x) {
        for (int f = 0; f < sketches.length; f++) {
            if (x[f] == x[f]) {
                sketches[f].update(x[f]);
            }
        }
    }

    /**
     * Adds the first {@code n} records of {@code rows} (d values each, row by row, checked by the
     * caller), one feature at a time through KLL's batch update, each batch nearly sorted first
     * ({@link NearSort}, so that KLL's own sort of its level zero finds them in order); {@code
     * column} is scratch of at least n values.
     */
    void addRows(double[] rows, int n, double[] column, NearSort order) {
        int d = sketches.length;
        for (int f = 0; f < d; f++) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                double v = rows[i * d + f];
                column[m] = v;
                m += v == v ? 1 : 0; // a missing value is overwritten by the next one
            }
            if (m > 0) {
                order.arrange(column, m);
                sketches[f].update(column, 0, m);
            }
        }
    }

    /**
     * Merges {@code other} into this sketch; an empty other changes nothing.
     *
     * @throws IllegalArgumentException on self-merge, a different dimension or a different k
     */
    public void merge(QuantileSketch other) {
        Checks.checkArgument(other != null, "other must not be null");
        Checks.checkArgument(other != this, "cannot merge a sketch into itself");
        Checks.checkArgument(
                other.sketches.length == sketches.length,
                "dimension mismatch: %s vs %s",
                other.sketches.length,
                sketches.length);
        Checks.checkArgument(other.k == k, "KLL k mismatch: %s vs %s", other.k, k);
        if (other.isEmpty()) {
            return;
        }
        for (int f = 0; f < sketches.length; f++) {
            sketches[f].merge(other.sketches[f]);
        }
    }

    /** Returns an independent copy. */
    public QuantileSketch copy() {
        return fromBytes(toBytes());
    }

    public int dimension() {
        return sketches.length;
    }

    public int k() {
        return k;
    }

    /** Number of values seen by feature 0 (its present values). */
    public long count() {
        return sketches[0].getN();
    }

    /** Number of present values seen by feature {@code f}. */
    public long count(int f) {
        return sketches[f].getN();
    }

    /** Whether no feature has seen a value. */
    public boolean isEmpty() {
        for (KllDoublesSketch s : sketches) {
            if (!s.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Approximate q-quantile (inclusive criterion) of feature {@code f}'s present values; NaN when
     * it has none.
     */
    public double quantile(int f, double q) {
        Checks.checkArgument(q >= 0 && q <= 1, "q must be in [0, 1], got %s", q);
        if (sketches[f].isEmpty()) {
            return Double.NaN;
        }
        return sketches[f].getQuantile(q, QuantileSearchCriteria.INCLUSIVE);
    }

    /** Approximate normalised rank (fraction of values <= v) of {@code v} in feature f. */
    public double rank(int f, double v) {
        if (sketches[f].isEmpty()) {
            return Double.NaN;
        }
        return sketches[f].getRank(v, QuantileSearchCriteria.INCLUSIVE);
    }

    /** Rank error bound that holds with 99% probability for single rank queries. */
    public double normalizedRankError() {
        return KllDoublesSketch.getNormalizedRankError(k, false);
    }

    /** Serialises with the current layout (version 1). */
    public byte[] toBytes() {
        byte[][] parts = new byte[sketches.length][];
        int size = 2 + 4 + 4;
        for (int f = 0; f < sketches.length; f++) {
            parts[f] = sketches[f].toByteArray();
            size += 4 + parts[f].length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.put(VERSION_1).put(TYPE).putInt(sketches.length).putInt(k);
        for (byte[] p : parts) {
            buf.putInt(p.length).put(p);
        }
        return buf.array();
    }

    /** Reads bytes written by any released version of {@link #toBytes()}. */
    public static QuantileSketch fromBytes(byte[] bytes) {
        return Bytes.decodeV1(bytes, TYPE, WHAT, VERSION_1, QuantileSketch::readV1);
    }

    private static QuantileSketch readV1(ByteBuffer buf) {
        int d = buf.getInt();
        int k = buf.getInt();
        Checks.checkArgument(d > 0 && d <= buf.remaining() / 4, "bad dimension %s", d);
        KllDoublesSketch[] sketches = new KllDoublesSketch[d];
        for (int f = 0; f < d; f++) {
            int len = buf.getInt();
            Checks.checkArgument(len > 0 && len <= buf.remaining(), "bad KLL length %s", len);
            byte[] part = new byte[len];
            buf.get(part);
            sketches[f] = KllDoublesSketch.heapify(Memory.wrap(part));
            Checks.checkArgument(
                    sketches[f].getK() == k, "KLL k %s differs from header %s", sketches[f].getK(), k);
        }
        Bytes.checkConsumed(buf, WHAT);
        return new QuantileSketch(k, sketches);
    }

    @Override
    public String toString() {
        return "QuantileSketch{d=" + sketches.length + ", k=" + k + ", n=" + count() + "}";
    }
}
