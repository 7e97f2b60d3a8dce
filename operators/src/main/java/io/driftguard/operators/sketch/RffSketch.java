package io.driftguard.operators.sketch;

import java.nio.ByteBuffer;

/**
 * Mean random Fourier feature embedding of one window, mu_X = (1/n) sum_i phi(x_i), for an {@link
 * RffBasis}.
 *
 * <p>{@link #mmd2(RffSketch)} returns ||mu_X - mu_Y||^2, an estimate of the biased (V-statistic)
 * MMD^2 under the basis' Gaussian kernel; its error shrinks like 1/sqrt(pairs) for a fixed sample.
 * The sketch keeps sums, so merging is an exact count-weighted mean. Update costs O(d * pairs) with
 * no allocation: a transposed projection and a polynomial sine/cosine in float (see {@code
 * FastTrig}), vectorised by the JIT. Each record's cosines and sines are added to float partial
 * sums, which are added to the double sums every {@value #FLUSH} records (a float-to-double
 * conversion per coordinate and record would cost more than the feature map itself). A partial sum
 * of at most 64 terms of magnitude at most 1 carries a rounding error of at most 64 * 63 * 2^-25,
 * about 1.2e-4 (typically 1e-6), so a window's mean cosine or sine sum differs from exact
 * summation, and a merged sketch from the sketch of the union, by at most 2e-6 per coordinate.
 * Memory is 6 * pairs doubles. Two sketches combine only when their bases share dimension, pairs,
 * sigma and seed. Not thread-safe.
 *
 * <p>Missing values: a NaN feature of a record is replaced, for the embedding only, by the mean of
 * that feature's present values among the records this sketch has taken so far (merged sketches'
 * included), 0 before it has any. The sketch keeps each feature's sum and count of present values
 * for this, O(d) per record with no allocation. Imputing the running mean rather than dropping
 * the record keeps the record's other features in the embedding; it pulls the window's embedding
 * toward the present values' mean in proportion to the feature's missing share, which the
 * detector's per-feature missing bins test separately.
 *
 * <p>Byte layout, version 5 (big-endian), a closed window's summary ({@link #toSummaryBytes()}):
 * {@code [version=5:u8][type=4:u8][d:i32][pairs:i32][sigma:f64][seed:i64][count:i64]}, then pairs
 * floats of the cosine sums and pairs floats of the sine sums, each the flushed sum plus the
 * partial one as {@link #mmd2} adds them, rounded to single precision: a summary's mean embedding
 * is the sketch's to a relative 6e-8 per coordinate, far below a window's sampling error, at half
 * the bytes of double sums. It has no partial sums and no per-feature present values, so it is for
 * comparing and merging, not for taking further records with missing values. Version 4, still
 * read, held the same sums as doubles.
 *
 * <p>Byte layout, version 3 (big-endian): version 2's layout (below) with the version byte 3,
 * followed by d doubles of per-feature sums of present values and d longs of their counts.
 * Versions 1 and 2 are still read; their sketches start with no present values (imputation by 0
 * until the first record after the restore).
 *
 * <p>Byte layout, version 2 (big-endian): {@code [version=2:u8][type=4:u8][d:i32][pairs:i32]
 * [sigma:f64][seed:i64][count:i64][pending:i32]}, then pairs doubles of flushed sum cos(omega_k .
 * x), pairs doubles of flushed sum sin, pairs floats of the partial cosine sums and pairs floats of
 * the partial sine sums ({@code pending} records). Version 1, still read, had no pending part:
 * {@code [version=1][type=4][d][pairs][sigma][seed][count]}, then the two double sums.
 */
public final class RffSketch {
    static final byte TYPE = 4;
    static final byte VERSION_1 = 1;
    static final byte VERSION_2 = 2;
    static final byte VERSION_3 = 3;
    static final byte VERSION_4 = 4;
    static final byte VERSION_5 = 5;
    static final int FLUSH = 64;
    private static final String WHAT = "RffSketch";

    private final RffBasis basis;
    private final double[] sumCos;
    private final double[] sumSin;
    private final float[] partCos;
    private final float[] partSin;
    // Reused projection buffers: the update path must not allocate.
    private final float[] scratch;
    private final float[] work;
    // Per-feature sums and counts of present values, and a scratch row for imputed records.
    private final double[] presentSum;
    private final long[] presentCount;
    private final double[] filled;
    private int pending;
    private long count;

    /** Creates an empty sketch over {@code basis}. */
    public RffSketch(RffBasis basis) {
        Checks.checkArgument(basis != null, "basis must not be null");
        this.basis = basis;
        int p = basis.pairs();
        this.sumCos = new double[p];
        this.sumSin = new double[p];
        this.partCos = new float[p];
        this.partSin = new float[p];
        this.scratch = new float[p];
        this.work = new float[p];
        int d = basis.dimension();
        this.presentSum = new double[d];
        this.presentCount = new long[d];
        this.filled = new double[d];
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

    /**
     * Builds the sketch of a window of {@code count} records from a uniform sample of them: the
     * sample's mean embedding, counted as {@code count} records so that records added later and
     * merges weigh it as the whole window. Unbiased for the window's mean embedding, with the
     * variance of a mean over {@code rows.length} records; exact when the sample is the window.
     *
     * @throws IllegalArgumentException if the sample is empty or larger than {@code count}
     */
    public static RffSketch fromSample(RffBasis basis, double[][] rows, long count) {
        Checks.checkArgument(rows != null && rows.length > 0, "the sample must not be empty");
        Checks.checkArgument(
                count >= rows.length, "count %s is below the sample size %s", count, rows.length);
        RffSketch s = fromSamples(basis, rows);
        if (count > rows.length) {
            s.flush();
            double scale = (double) count / rows.length;
            for (int k = 0; k < s.sumCos.length; k++) {
                s.sumCos[k] *= scale;
                s.sumSin[k] *= scale;
            }
            s.count = count;
        }
        return s;
    }

    /**
     * Adds one record; a NaN value is missing and imputed by the feature's running mean (see the
     * class comment). Rejects a wrong dimension and infinite values.
     */
    public void update(double[] x) {
        Checks.checkRecord(x, basis.dimension());
        add(x);
    }

    /** {@link #update} without the checks, for a caller that made them. */
    void add(double[] x) {
        int d = presentSum.length;
        boolean missing = false;
        for (int f = 0; f < d; f++) {
            double v = x[f];
            if (v == v) {
                presentSum[f] += v;
                presentCount[f]++;
            } else {
                missing = true;
            }
        }
        double[] row = x;
        if (missing) {
            for (int f = 0; f < d; f++) {
                double v = x[f];
                filled[f] = v == v ? v : runningMean(f);
            }
            row = filled;
        }
        basis.project(row, scratch);
        FastTrig.accumulateCosSin(scratch, scratch.length, partCos, partSin, work);
        count++;
        if (++pending == FLUSH) {
            flush();
        }
    }

    /** The mean of feature {@code f}'s present values taken so far; 0 before there is one. */
    public double runningMean(int f) {
        return presentCount[f] == 0 ? 0.0 : presentSum[f] / presentCount[f];
    }

    private void flush() {
        for (int k = 0; k < sumCos.length; k++) {
            sumCos[k] += partCos[k];
            sumSin[k] += partSin[k];
        }
        java.util.Arrays.fill(partCos, 0f);
        java.util.Arrays.fill(partSin, 0f);
        pending = 0;
    }

    private double cosSum(int k) {
        return sumCos[k] + partCos[k];
    }

    private double sinSum(int k) {
        return sumSin[k] + partSin[k];
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
            sumCos[k] += other.cosSum(k);
            sumSin[k] += other.sinSum(k);
        }
        for (int f = 0; f < presentSum.length; f++) {
            presentSum[f] += other.presentSum[f];
            presentCount[f] += other.presentCount[f];
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
            double dc = cosSum(k) * a - other.cosSum(k) * b;
            double ds = sinSum(k) * a - other.sinSum(k) * b;
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
            out[k] = cosSum(k) * scale;
            out[p + k] = sinSum(k) * scale;
        }
        return out;
    }

    /** Returns an independent copy sharing the immutable basis. */
    public RffSketch copy() {
        RffSketch c = new RffSketch(basis);
        System.arraycopy(sumCos, 0, c.sumCos, 0, sumCos.length);
        System.arraycopy(sumSin, 0, c.sumSin, 0, sumSin.length);
        System.arraycopy(partCos, 0, c.partCos, 0, partCos.length);
        System.arraycopy(partSin, 0, c.partSin, 0, partSin.length);
        System.arraycopy(presentSum, 0, c.presentSum, 0, presentSum.length);
        System.arraycopy(presentCount, 0, c.presentCount, 0, presentCount.length);
        c.pending = pending;
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

    /** Serialises with the current layout (version 3): the state exactly, partial sums included. */
    public byte[] toBytes() {
        int p = sumCos.length;
        int d = presentSum.length;
        ByteBuffer buf = ByteBuffer.allocate(2 + 4 + 4 + 8 + 8 + 8 + 4 + 24 * p + 16 * d);
        buf.put(VERSION_3).put(TYPE).putInt(basis.dimension()).putInt(p);
        buf.putDouble(basis.sigma()).putLong(basis.seed()).putLong(count).putInt(pending);
        Bytes.putDoubles(buf, sumCos, 0, p);
        Bytes.putDoubles(buf, sumSin, 0, p);
        for (int k = 0; k < p; k++) {
            buf.putFloat(partCos[k]);
        }
        for (int k = 0; k < p; k++) {
            buf.putFloat(partSin[k]);
        }
        Bytes.putDoubles(buf, presentSum, 0, d);
        for (long c : presentCount) {
            buf.putLong(c);
        }
        return buf.array();
    }

    /**
     * The summary a closed window's embedding needs (version 5): header and count, and the cosine
     * and sine sums with the partial sums folded in, in single precision; about a third of {@link
     * #toBytes()} at d = 8. {@link #fromBytes} reads it back into a sketch whose {@link #mmd2}
     * against any sketch is this one's up to that rounding.
     */
    public byte[] toSummaryBytes() {
        int p = sumCos.length;
        ByteBuffer buf = ByteBuffer.allocate(2 + 4 + 4 + 8 + 8 + 8 + 8 * p);
        buf.put(VERSION_5).put(TYPE).putInt(basis.dimension()).putInt(p);
        buf.putDouble(basis.sigma()).putLong(basis.seed()).putLong(count);
        for (int k = 0; k < p; k++) {
            buf.putFloat((float) cosSum(k));
        }
        for (int k = 0; k < p; k++) {
            buf.putFloat((float) sinSum(k));
        }
        return buf.array();
    }

    /** Reads bytes written by any released version of {@link #toBytes()}, rebuilding the basis. */
    public static RffSketch fromBytes(byte[] bytes) {
        return fromBytes(bytes, null);
    }

    /**
     * Whether {@code bytes} (from any released version of {@link #toBytes()}) hold a sketch over
     * {@code basis}: the same dimension, pairs, sigma and seed. Reads the header only; false for
     * bytes that are not a random Fourier sketch.
     */
    public static boolean isOver(byte[] bytes, RffBasis basis) {
        if (bytes == null || basis == null || bytes.length < 2 + 4 + 4 + 8 + 8 || bytes[1] != TYPE
                || bytes[0] < VERSION_1 || bytes[0] > VERSION_5) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
        return sameBasis(basis, buf.getInt(), buf.getInt(), buf.getDouble(), buf.getLong());
    }

    /** Whether {@code basis} has the stored dimension, pairs, sigma and seed. */
    private static boolean sameBasis(RffBasis basis, int d, int pairs, double sigma, long seed) {
        return basis.dimension() == d
                && basis.pairs() == pairs
                && Double.compare(basis.sigma(), sigma) == 0
                && basis.seed() == seed;
    }

    /**
     * Reads bytes written by any released version of {@link #toBytes()}, reusing {@code basis} when
     * it matches the stored parameters (saves regenerating the frequencies).
     *
     * @throws IllegalArgumentException if {@code basis} is given and does not match
     */
    public static RffSketch fromBytes(byte[] bytes, RffBasis basis) {
        return Bytes.decode(bytes, TYPE, WHAT, VERSION_5, (buf, version) -> read(buf, basis, version));
    }

    private static RffSketch read(ByteBuffer buf, RffBasis given, byte version) {
        int d = buf.getInt();
        int p = buf.getInt();
        double sigma = buf.getDouble();
        long seed = buf.getLong();
        long count = buf.getLong();
        boolean summary = version == VERSION_4 || version == VERSION_5;
        int pending = version >= VERSION_2 && !summary ? buf.getInt() : 0;
        Checks.checkArgument(count >= 0, "negative count %s", count);
        Checks.checkArgument(
                pending >= 0 && pending < FLUSH && pending <= count, "bad pending count %s", pending);
        int bytesPerPair = version == VERSION_5 ? 8 : version >= VERSION_2 && !summary ? 24 : 16;
        long perFeature = version == VERSION_3 ? 16L * d : 0L;
        Checks.checkArgument(
                p > 0 && d > 0 && (long) p * bytesPerPair + perFeature == buf.remaining(), "bad pairs %s", p);
        RffBasis basis;
        if (given != null) {
            Checks.checkArgument(
                    sameBasis(given, d, p, sigma, seed),
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
        if (version == VERSION_5) {
            for (int k = 0; k < p; k++) {
                s.sumCos[k] = buf.getFloat();
            }
            for (int k = 0; k < p; k++) {
                s.sumSin[k] = buf.getFloat();
            }
        } else {
            buf.asDoubleBuffer().get(s.sumCos);
            buf.position(buf.position() + 8 * p);
            buf.asDoubleBuffer().get(s.sumSin);
            buf.position(buf.position() + 8 * p);
        }
        if (version >= VERSION_2 && !summary) {
            for (int k = 0; k < p; k++) {
                s.partCos[k] = buf.getFloat();
            }
            for (int k = 0; k < p; k++) {
                s.partSin[k] = buf.getFloat();
            }
        }
        if (version == VERSION_3) {
            buf.asDoubleBuffer().get(s.presentSum);
            buf.position(buf.position() + 8 * d);
            for (int f = 0; f < d; f++) {
                long c = buf.getLong();
                Checks.checkArgument(c >= 0 && c <= count, "bad present count %s", c);
                s.presentCount[f] = c;
            }
        }
        s.pending = pending;
        s.count = count;
        Bytes.checkConsumed(buf, WHAT);
        return s;
    }

    @Override
    public String toString() {
        return "RffSketch{" + basis + ", count=" + count + "}";
    }
}
