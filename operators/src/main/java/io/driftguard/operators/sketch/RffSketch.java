package io.driftguard.operators.sketch;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Mean random Fourier feature embedding of one window, mu_X = (1/n) sum_i phi(x_i), for an {@link
 * RffBasis}.
 *
 * <p>{@link #mmd2(RffSketch)} returns ||mu_X - mu_Y||^2, an estimate of the biased (V-statistic)
 * MMD^2 under the basis' Gaussian kernel; its error shrinks like 1/sqrt(pairs) for a fixed sample.
 * The sketch keeps sums, so merging is an exact count-weighted mean. Update costs O(d * pairs) with
 * no allocation (a transposed projection and a vectorised polynomial sine/cosine, see {@code
 * FastTrig}); memory is 4 * pairs doubles. Two sketches combine only when their bases share
 * dimension, pairs, sigma and seed. Not thread-safe.
 *
 * <p>Byte layout, version 1 (big-endian): {@code [version=1:u8][type=4:u8][d:i32][pairs:i32]
 * [sigma:f64][seed:i64][count:i64]}, then pairs doubles of sum cos(omega_k . x) and pairs doubles
 * of sum sin(omega_k . x).
 */
public final class RffSketch {
    static final byte TYPE = 4;
    static final byte VERSION_1 = 1;
    private static final String WHAT = "RffSketch";

    private final RffBasis basis;
    private final double[] sumCos;
    private final double[] sumSin;
    // Reused projection buffer: the update path must not allocate.
    private final double[] scratch;
    private final double[] work;
    private long count;

    /** Creates an empty sketch over {@code basis}. */
    public RffSketch(RffBasis basis) {
        Checks.checkArgument(basis != null, "basis must not be null");
        this.basis = basis;
        this.sumCos = new double[basis.pairs()];
        this.sumSin = new double[basis.pairs()];
        this.scratch = new double[basis.pairs()];
        this.work = new double[basis.pairs()];
    }

    /** Builds the sketch of {@code rows} over {@code basis}. */
    public static RffSketch fromSamples(RffBasis basis, double[][] rows) {
        Checks.checkArgument(rows != null, "rows must not be null");
        RffSketch s = new RffSketch(basis);
        for (double[] row : rows) {
            s.update(row);
        }
        return s;
    }

    /** Adds one record; rejects a wrong dimension and non-finite values. */
    public void update(double[] x) {
        Checks.checkRecord(x, basis.dimension());
        basis.project(x, scratch);
        FastTrig.accumulateCosSin(scratch, scratch.length, sumCos, sumSin, work);
        count++;
    }

    /**
     * Adds {@code other}'s records to this sketch (count-weighted mean); an empty other changes
     * nothing.
     *
     * @throws IllegalArgumentException on self-merge or an incompatible basis
     */
    public void merge(RffSketch other) {
        Checks.checkArgument(other != null, "other must not be null");
        Checks.checkArgument(other != this, "cannot merge a sketch into itself");
        checkCompatible(other);
        if (other.count == 0) {
            return;
        }
        for (int k = 0; k < sumCos.length; k++) {
            sumCos[k] += other.sumCos[k];
            sumSin[k] += other.sumSin[k];
        }
        count += other.count;
    }

    /**
     * Returns ||mean phi(this) - mean phi(other)||^2, the random-feature estimate of the biased
     * MMD^2 between the two windows.
     *
     * @throws IllegalArgumentException if the bases differ or either sketch is empty
     */
    public double mmd2(RffSketch other) {
        Checks.checkArgument(other != null, "other must not be null");
        checkCompatible(other);
        Checks.checkArgument(count > 0 && other.count > 0, "both sketches must be non-empty");
        double a = 1.0 / count;
        double b = 1.0 / other.count;
        double sum = 0;
        for (int k = 0; k < sumCos.length; k++) {
            double dc = sumCos[k] * a - other.sumCos[k] * b;
            double ds = sumSin[k] * a - other.sumSin[k] * b;
            sum += dc * dc + ds * ds;
        }
        return sum / sumCos.length;
    }

    private void checkCompatible(RffSketch other) {
        if (!basis.isCompatible(other.basis)) {
            throw new IllegalArgumentException(
                    "RFF sketches differ in basis (sigma, pairs, dimension or seed): "
                            + basis
                            + " vs "
                            + other.basis);
        }
    }

    /** Returns the mean embedding (length 2 * pairs: cosines, then sines); zeros when empty. */
    public double[] meanEmbedding() {
        int p = sumCos.length;
        double[] out = new double[2 * p];
        if (count == 0) {
            return out;
        }
        double scale = Math.sqrt(1.0 / p) / count;
        for (int k = 0; k < p; k++) {
            out[k] = sumCos[k] * scale;
            out[p + k] = sumSin[k] * scale;
        }
        return out;
    }

    /** Returns an independent copy sharing the immutable basis. */
    public RffSketch copy() {
        RffSketch c = new RffSketch(basis);
        System.arraycopy(sumCos, 0, c.sumCos, 0, sumCos.length);
        System.arraycopy(sumSin, 0, c.sumSin, 0, sumSin.length);
        c.count = count;
        return c;
    }

    public RffBasis basis() {
        return basis;
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Serialises with the current layout (version 1). */
    public byte[] toBytes() {
        int p = sumCos.length;
        ByteBuffer buf = ByteBuffer.allocate(2 + 4 + 4 + 8 + 8 + 8 + 16 * p);
        buf.put(VERSION_1).put(TYPE).putInt(basis.dimension()).putInt(p);
        buf.putDouble(basis.sigma()).putLong(basis.seed()).putLong(count);
        Bytes.putDoubles(buf, sumCos, 0, p);
        Bytes.putDoubles(buf, sumSin, 0, p);
        return buf.array();
    }

    /** Reads bytes written by any released version of {@link #toBytes()}, rebuilding the basis. */
    public static RffSketch fromBytes(byte[] bytes) {
        return fromBytes(bytes, null);
    }

    /**
     * Reads bytes written by any released version of {@link #toBytes()}, reusing {@code basis} when
     * it matches the stored parameters (saves regenerating the frequencies).
     *
     * @throws IllegalArgumentException if {@code basis} is given and does not match
     */
    public static RffSketch fromBytes(byte[] bytes, RffBasis basis) {
        ByteBuffer buf = Bytes.open(bytes, TYPE, WHAT);
        byte version = bytes[0];
        try {
            if (version == VERSION_1) {
                return readV1(buf, basis);
            }
        } catch (BufferUnderflowException e) {
            throw Bytes.truncated(WHAT, e);
        }
        throw new IllegalArgumentException(WHAT + " bytes have unknown version " + version);
    }

    private static RffSketch readV1(ByteBuffer buf, RffBasis given) {
        int d = buf.getInt();
        int p = buf.getInt();
        double sigma = buf.getDouble();
        long seed = buf.getLong();
        long count = buf.getLong();
        Checks.checkArgument(count >= 0, "negative count %s", count);
        Checks.checkArgument(p > 0 && (long) p * 16 == buf.remaining(), "bad pairs %s", p);
        RffBasis basis;
        if (given != null) {
            Checks.checkArgument(
                    given.dimension() == d
                            && given.pairs() == p
                            && Double.compare(given.sigma(), sigma) == 0
                            && given.seed() == seed,
                    "stored basis (d=%s, pairs=%s, sigma=%s, seed=%s) differs from %s",
                    d,
                    p,
                    sigma,
                    seed,
                    given);
            basis = given;
        } else {
            basis = new RffBasis(d, p, sigma, seed);
        }
        RffSketch s = new RffSketch(basis);
        buf.asDoubleBuffer().get(s.sumCos);
        buf.position(buf.position() + 8 * p);
        buf.asDoubleBuffer().get(s.sumSin);
        buf.position(buf.position() + 8 * p);
        s.count = count;
        Bytes.checkConsumed(buf, WHAT);
        return s;
    }

    @Override
    public String toString() {
        return "RffSketch{" + basis + ", count=" + count + "}";
    }
}
