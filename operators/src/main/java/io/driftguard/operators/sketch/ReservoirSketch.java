package io.driftguard.operators.sketch;

import java.nio.ByteBuffer;

/**
 * A seeded uniform sample without replacement of at most {@code capacity} records (and their
 * labels, when the sketch carries labels) of one window.
 *
 * <p>Updates use Vitter's Algorithm R: after n updates every subset of min(n, capacity) records is
 * equally likely. Its per-record draw of a uniform index in [0, n) uses {@link
 * SplitMix64#nextLongMultiply(long)}, which needs no division. Merging two reservoirs draws how
 * many of the merged slots come from each side from the hypergeometric law of sampling
 * min(capacity, n_a + n_b) of the n_a + n_b records without replacement, then takes that many
 * uniformly from each reservoir; the result is again a uniform sample of the union, so merge and
 * update can be mixed freely. Update is O(d) with no allocation.
 * The generator state is part of the serialised form, so a restored sketch continues the same
 * sequence. Labels are doubles: class labels are mapped to codes by the caller. A record's NaN
 * features are missing values and are kept as they are (infinite values are rejected).
 *
 * <p>Byte layout, version 1 (big-endian): {@code [version=1:u8][type=3:u8][d:i32][capacity:i32]
 * [hasLabels:u8][seen:i64][rngState:i64][size:i32]}, then size*d doubles (rows, row-major) and,
 * with labels, size doubles.
 */
public final class ReservoirSketch {
    static final byte TYPE = 3;
    static final byte VERSION_1 = 1;
    private static final String WHAT = "ReservoirSketch";

    private final int dimension;
    private final int capacity;
    private final boolean hasLabels;
    private final SplitMix64 random;
    private double[] rows;
    private double[] labels;
    private int size;
    private long seen;

    /**
     * Creates an empty reservoir.
     *
     * @param dimension features per record
     * @param capacity maximum number of records kept
     * @param hasLabels whether each record carries a label
     * @param seed fixes the sequence of random choices
     */
    public ReservoirSketch(int dimension, int capacity, boolean hasLabels, long seed) {
        Checks.checkArgument(dimension > 0, "dimension must be positive, got %s", dimension);
        Checks.checkArgument(capacity > 0, "capacity must be positive, got %s", capacity);
        Checks.checkArgument(
                (long) dimension * capacity <= Integer.MAX_VALUE - 8,
                "dimension * capacity too large: %s * %s",
                dimension,
                capacity);
        this.dimension = dimension;
        this.capacity = capacity;
        this.hasLabels = hasLabels;
        this.random = new SplitMix64(seed);
        // room for a few records, grown as they come: a key that sends a few records does not
        // hold a full reservoir
        int initial = Math.min(capacity, INITIAL_ROWS);
        this.rows = new double[initial * dimension];
        this.labels = hasLabels ? new double[initial] : null;
    }

    /** Records a fresh reservoir has room for before it grows (doubling up to its capacity). */
    static final int INITIAL_ROWS = 4;

    /** Makes room for {@code n} records. */
    private void ensureRows(int n) {
        if ((long) n * dimension <= rows.length) {
            return;
        }
        int room = (int) Math.min(capacity, Math.max(n, 2L * (rows.length / dimension)));
        rows = java.util.Arrays.copyOf(rows, room * dimension);
        if (hasLabels) {
            labels = java.util.Arrays.copyOf(labels, room);
        }
    }

    /** Adds an unlabelled record; only for sketches without labels. */
    public void update(double[] x) {
        Checks.checkState(!hasLabels, "this reservoir carries labels: use update(x, label)");
        offer(x, 0.0);
    }

    /** Adds a labelled record; only for sketches with labels. */
    public void update(double[] x, double label) {
        Checks.checkState(hasLabels, "this reservoir carries no labels: use update(x)");
        Checks.checkArgument(Double.isFinite(label), "label must be finite, got %s", label);
        offer(x, label);
    }

    private void offer(double[] x, double label) {
        Checks.checkRecord(x, dimension);
        add(x, label);
    }

    /**
     * Offers a record without the checks, for a caller that made them (including that the label
     * matches {@link #hasLabels()}).
     */
    void add(double[] x, double label) {
        seen++;
        int slot;
        if (size < capacity) {
            slot = size++;
            ensureRows(size);
        } else {
            // the multiply-and-shift draw: a division per record would cost more than the rest
            long j = random.nextLongMultiply(seen);
            if (j >= capacity) {
                return;
            }
            slot = (int) j;
        }
        System.arraycopy(x, 0, rows, slot * dimension, dimension);
        if (hasLabels) {
            labels[slot] = label;
        }
    }

    /**
     * Merges {@code other} into this reservoir so that it becomes a uniform sample of the union; an
     * empty other changes nothing. Uses this sketch's generator.
     *
     * @throws IllegalArgumentException on self-merge or a different dimension, capacity or labelling
     */
    public void merge(ReservoirSketch other) {
        Checks.checkArgument(other != null, "other must not be null");
        Checks.checkArgument(other != this, "cannot merge a sketch into itself");
        Checks.checkArgument(
                other.dimension == dimension,
                "dimension mismatch: %s vs %s",
                other.dimension,
                dimension);
        Checks.checkArgument(
                other.capacity == capacity, "capacity mismatch: %s vs %s", other.capacity, capacity);
        Checks.checkArgument(
                other.hasLabels == hasLabels,
                "label mismatch: %s vs %s",
                other.hasLabels,
                hasLabels);
        if (other.seen == 0) {
            return;
        }
        long total = seen + other.seen;
        int target = (int) Math.min(capacity, total);
        // Hypergeometric split: draw target records without replacement from the union and count
        // how many come from this side.
        long remA = seen;
        long remB = other.seen;
        int fromA = 0;
        for (int t = 0; t < target; t++) {
            if (random.nextLong(remA + remB) < remA) {
                fromA++;
                remA--;
            } else {
                remB--;
            }
        }
        int fromB = target - fromA;
        double[] newRows = new double[target * dimension];
        double[] newLabels = hasLabels ? new double[target] : null;
        int out = copyRandomSubset(this, fromA, newRows, newLabels, 0);
        copyRandomSubset(other, fromB, newRows, newLabels, out);
        rows = newRows;
        labels = newLabels;
        size = target;
        seen = total;
    }

    /** Copies {@code count} slots of {@code src} chosen uniformly without replacement. */
    private int copyRandomSubset(
            ReservoirSketch src, int count, double[] dstRows, double[] dstLabels, int out) {
        int[] idx = new int[src.size];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        for (int t = 0; t < count; t++) {
            int pick = t + random.nextInt(idx.length - t);
            int tmp = idx[t];
            idx[t] = idx[pick];
            idx[pick] = tmp;
            int s = idx[t];
            System.arraycopy(src.rows, s * dimension, dstRows, out * dimension, dimension);
            if (dstLabels != null) {
                dstLabels[out] = src.labels[s];
            }
            out++;
        }
        return out;
    }

    /** Returns an independent copy, including the generator state. */
    public ReservoirSketch copy() {
        ReservoirSketch c = new ReservoirSketch(dimension, capacity, hasLabels, random.getState());
        c.ensureRows(size);
        System.arraycopy(rows, 0, c.rows, 0, size * dimension);
        if (hasLabels) {
            System.arraycopy(labels, 0, c.labels, 0, size);
        }
        c.size = size;
        c.seen = seen;
        return c;
    }

    public int dimension() {
        return dimension;
    }

    public int capacity() {
        return capacity;
    }

    public boolean hasLabels() {
        return hasLabels;
    }

    /** Number of records kept, min(seen, capacity). */
    public int size() {
        return size;
    }

    /** Number of records offered (including merged ones). */
    public long seen() {
        return seen;
    }

    public boolean isEmpty() {
        return seen == 0;
    }

    /** Returns a copy of the kept records, one row per record. */
    public double[][] rows() {
        double[][] out = new double[size][dimension];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows, i * dimension, out[i], 0, dimension);
        }
        return out;
    }

    /** Returns a copy of the kept labels, aligned with {@link #rows()}. */
    public double[] labels() {
        Checks.checkState(hasLabels, "this reservoir carries no labels");
        double[] out = new double[size];
        System.arraycopy(labels, 0, out, 0, size);
        return out;
    }

    /** Serialises with the current layout (version 1). */
    public byte[] toBytes() {
        int n = 2 + 4 + 4 + 1 + 8 + 8 + 4 + 8 * size * dimension + (hasLabels ? 8 * size : 0);
        ByteBuffer buf = ByteBuffer.allocate(n);
        buf.put(VERSION_1).put(TYPE).putInt(dimension).putInt(capacity);
        buf.put((byte) (hasLabels ? 1 : 0)).putLong(seen).putLong(random.getState()).putInt(size);
        Bytes.putDoubles(buf, rows, 0, size * dimension);
        if (hasLabels) {
            Bytes.putDoubles(buf, labels, 0, size);
        }
        return buf.array();
    }

    /** Reads bytes written by any released version of {@link #toBytes()}. */
    public static ReservoirSketch fromBytes(byte[] bytes) {
        return Bytes.decodeV1(bytes, TYPE, WHAT, VERSION_1, ReservoirSketch::readV1);
    }

    private static ReservoirSketch readV1(ByteBuffer buf) {
        int d = buf.getInt();
        int capacity = buf.getInt();
        byte labelled = buf.get();
        Checks.checkArgument(labelled == 0 || labelled == 1, "bad label flag %s", labelled);
        long seen = buf.getLong();
        long state = buf.getLong();
        int size = buf.getInt();
        Checks.checkArgument(
                size >= 0 && size <= capacity && size == Math.min(seen, capacity),
                "bad size %s for capacity %s and seen %s",
                size,
                capacity,
                seen);
        Checks.checkArgument(
                d > 0 && (long) size * d * 8 <= buf.remaining(), "bad dimension %s", d);
        ReservoirSketch s = new ReservoirSketch(d, capacity, labelled == 1, state);
        s.ensureRows(size);
        buf.asDoubleBuffer().get(s.rows, 0, size * d);
        buf.position(buf.position() + 8 * size * d);
        if (s.hasLabels) {
            buf.asDoubleBuffer().get(s.labels, 0, size);
            buf.position(buf.position() + 8 * size);
        }
        s.size = size;
        s.seen = seen;
        Bytes.checkConsumed(buf, WHAT);
        return s;
    }

    @Override
    public String toString() {
        return "ReservoirSketch{d=" + dimension + ", size=" + size + ", seen=" + seen + "}";
    }
}
