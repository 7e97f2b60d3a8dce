package io.driftguard.operators.sketch;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * All sketches of one window of one key: moments, per-feature KLL quantiles (unless the
 * configuration's KLL k is 0), a uniform reservoir sample and, once a bandwidth is known, a random
 * Fourier feature mean embedding.
 *
 * <p>The random Fourier part is optional because a key's bandwidth is only known after its first
 * window closes: create the sketch with or without an {@link RffBasis}, or attach one later with
 * {@link #attachRff(RffBasis)}. Update is O(d (1 + pairs)) with no allocation besides the KLL
 * sketches' occasional growth. The component sketches returned by the accessors are live: {@link
 * #copy()} first to change a snapshot. Not thread-safe.
 *
 * <p>Missing values: a record's NaN features are missing values, not errors (infinite values are
 * rejected). The moments keep each feature's present count and missing rate, the quantile
 * sketches skip them, the reservoir keeps the record with its NaN, and the random Fourier part
 * imputes the feature's running mean (see {@link RffSketch}).
 *
 * <p>Records are staged: an update copies the record into a buffer (16 KiB at most), and the
 * parts take the buffered records in arrival order when it is full ({@link #stageCapacity(int)}
 * records) or when any part is read. A streaming job updates many keys' windows in turn, so
 * without the buffer each record would find its key's KLL levels, reservoir and Fourier
 * frequencies out of the processor's caches; with it they are loaded once per buffer, and KLL
 * takes each feature's values as one batch, nearly sorted first ({@link NearSort}), which cuts
 * KLL's cost per value by about a third, arrangement included. Every observable result is the one
 * record-at-a-time updates give, bit for bit, except KLL's internal compaction choices, which are
 * random in either case.
 *
 * <p>Byte layout, version 2 (big-endian): {@code [version=2:u8][type=5:u8][d:i32]
 * [reservoirSize:i32][kllK:i32][rffPairs:i32][seed:i64][labelled:u8]}, then {@code [length:i32]
 * [bytes]} of the moments, quantile (absent when kllK is 0) and reservoir sketches, then {@code
 * [hasRff:u8]} and, when 1, {@code [length:i32][bytes]} of the random Fourier sketch, then the
 * staged records: {@code [staged:i32]}, staged x d doubles row by row and, for a labelled window,
 * staged label doubles. Serialising does not drain the buffer, so that it never changes the sketch
 * it reads. Version 1 is version 2 without the staged records.
 */
public final class WindowSketch {
    static final byte TYPE = 5;
    static final byte VERSION_1 = 1;
    static final byte VERSION_2 = 2;
    /** Bytes of staged feature values per window, which bounds the buffer for wide records. */
    private static final int STAGE_BYTES = 16384;
    private static final int MAX_STAGE = 256;
    // Scratch of a drain, per thread rather than per window: a drain runs once per stage of records.
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    private static final String WHAT = "WindowSketch";

    private final SketchConfig config;
    private final MomentsSketch moments;
    private final QuantileSketch quantiles; // null when the configuration keeps none
    private final ReservoirSketch reservoir;
    private RffSketch rff; // null until a basis is attached
    // Records not yet in the parts, oldest first, row by row in one array: a record's copy then
    // loads no row object, which with hundreds of keys would be out of the caches.
    private double[] stage; // grown as records come, up to capacity records
    private final int capacity;
    private double[] stageLabels; // their labels (labelled windows only)
    private int staged;

    private WindowSketch(
            SketchConfig config,
            MomentsSketch moments,
            QuantileSketch quantiles,
            ReservoirSketch reservoir,
            RffSketch rff) {
        this.config = config;
        this.moments = moments;
        this.quantiles = quantiles;
        this.reservoir = reservoir;
        this.rff = rff;
        this.capacity = stageCapacity(config.dimension());
        int initial = Math.min(capacity, INITIAL_STAGE);
        this.stage = new double[initial * config.dimension()];
        this.stageLabels = config.labelled() ? new double[initial] : null;
    }

    /** Records a fresh window has room for in its stage before it grows (doubling). */
    static final int INITIAL_STAGE = 4;

    /**
     * Records a window stages before its parts take them: 256, fewer for records wider than 8
     * features (at most 16 KiB of values), at least 1.
     */
    public static int stageCapacity(int dimension) {
        return Math.max(1, Math.min(MAX_STAGE, STAGE_BYTES / (8 * Math.max(1, dimension))));
    }

    /** Creates an empty window sketch without the random Fourier part. */
    public static WindowSketch create(SketchConfig config) {
        return create(config, null);
    }

    /**
     * Creates an empty window sketch, with the random Fourier part when {@code basis} is not null.
     */
    public static WindowSketch create(SketchConfig config, RffBasis basis) {
        Checks.checkArgument(config != null, "config must not be null");
        if (basis != null) {
            checkBasis(config, basis);
        }
        return new WindowSketch(
                config,
                new MomentsSketch(config.dimension()),
                config.hasQuantiles() ? new QuantileSketch(config.dimension(), config.kllK()) : null,
                new ReservoirSketch(
                        config.dimension(),
                        config.reservoirSize(),
                        config.labelled(),
                        SplitMix64.derive(config.seed(), SketchConfig.RESERVOIR_STREAM)),
                basis == null ? null : new RffSketch(basis));
    }

    private static void checkBasis(SketchConfig config, RffBasis basis) {
        Checks.checkArgument(
                basis.dimension() == config.dimension(),
                "basis dimension %s differs from config dimension %s",
                basis.dimension(),
                config.dimension());
    }

    /** Adds an unlabelled record (configuration not labelled). */
    public void update(double[] x) {
        Checks.checkState(!config.labelled(), "this window carries labels: use update(x, label)");
        Checks.checkRecord(x, config.dimension());
        stage(x, 0, 0.0);
    }

    /** Adds a labelled record (labelled configuration); labels are codes chosen by the caller. */
    public void update(double[] x, double label) {
        Checks.checkState(config.labelled(), "this window carries no labels: use update(x)");
        Checks.checkArgument(Double.isFinite(label), "label must be finite, got %s", label);
        Checks.checkRecord(x, config.dimension());
        stage(x, 0, label);
    }

    // The record was checked once above; the parts skip their own checks of it.
    private void stage(double[] x, int offset, double label) {
        int d = config.dimension();
        if ((staged + 1) * d > stage.length) {
            // a key that sends a few records holds a few, not a full stage
            int room = Math.min(capacity, 2 * (stage.length / d));
            stage = java.util.Arrays.copyOf(stage, room * d);
            if (stageLabels != null) {
                stageLabels = java.util.Arrays.copyOf(stageLabels, room);
            }
        }
        System.arraycopy(x, offset, stage, staged * d, d);
        if (stageLabels != null) {
            stageLabels[staged] = label;
        }
        if (++staged == capacity) {
            drain();
        }
    }

    /** Hands the staged records to the parts, in arrival order. */
    private void drain() {
        int n = staged;
        if (n == 0) {
            return;
        }
        staged = 0;
        int d = config.dimension();
        Scratch scratch = SCRATCH.get();
        double[] x = scratch.row(d);
        for (int i = 0; i < n; i++) {
            System.arraycopy(stage, i * d, x, 0, d);
            reservoir.add(x, stageLabels == null ? 0.0 : stageLabels[i]);
            moments.add(x);
            if (rff != null) {
                rff.add(x);
            }
        }
        if (quantiles != null) {
            quantiles.addRows(stage, n, scratch.column, scratch.order);
        }
    }

    /**
     * Attaches a random Fourier sketch over {@code basis}. When records were already added, they
     * are represented by the reservoir sample ({@link RffSketch#fromSample}): exactly while no
     * more than {@code reservoirSize} records were seen, otherwise by the sample's mean counted as
     * all of them; records added afterwards enter exactly.
     *
     * @throws IllegalStateException if a random Fourier sketch is already attached
     */
    public void attachRff(RffBasis basis) {
        Checks.checkArgument(basis != null, "basis must not be null");
        checkBasis(config, basis);
        Checks.checkState(rff == null, "a random Fourier sketch is already attached: %s", rff);
        drain();
        rff = reservoir.isEmpty()
                ? new RffSketch(basis)
                : RffSketch.fromSample(basis, reservoir.rows(), reservoir.seen());
    }

    /**
     * Sets the window's random Fourier sketch over {@code basis} to the one of its reservoir
     * sample ({@link RffSketch#fromSample}), replacing any sketch attached before, so that the
     * embedding of a window is the same whether its records entered one by one or not.
     */
    public void rffFromSample(RffBasis basis) {
        Checks.checkArgument(basis != null, "basis must not be null");
        checkBasis(config, basis);
        drain();
        rff = reservoir.isEmpty()
                ? new RffSketch(basis)
                : RffSketch.fromSample(basis, reservoir.rows(), reservoir.seen());
    }

    /**
     * Merges {@code other} (same configuration) into this window; an empty other changes nothing.
     *
     * @throws IllegalArgumentException on self-merge, different configurations, or when only one
     *     side has a random Fourier sketch or their bases differ
     */
    public void merge(WindowSketch other) {
        Checks.checkArgument(other != null, "other must not be null");
        Checks.checkArgument(other != this, "cannot merge a sketch into itself");
        Checks.checkArgument(
                config.equals(other.config), "config mismatch: %s vs %s", config, other.config);
        if (other.isEmpty()) {
            return;
        }
        drain();
        other.drain();
        Checks.checkArgument(
                (rff == null) == (other.rff == null),
                "only one side has a random Fourier sketch");
        moments.merge(other.moments);
        if (quantiles != null) {
            quantiles.merge(other.quantiles);
        }
        reservoir.merge(other.reservoir);
        if (rff != null) {
            rff.merge(other.rff);
        }
    }

    /**
     * Whether {@link #merge} accepts {@code other}: the same configuration, and a random Fourier
     * part on both sides over the same basis or on neither.
     */
    public boolean mergeableWith(WindowSketch other) {
        return other != null
                && other != this
                && config.equals(other.config)
                && (rff == null ? other.rff == null : other.rff != null && rff.basis().isCompatible(other.rff.basis()));
    }

    /** Returns an independent copy (a snapshot). */
    public WindowSketch copy() {
        // copies the staged records rather than draining them: a copy must not change its source
        WindowSketch c =
                new WindowSketch(
                        config,
                        moments.copy(),
                        quantiles == null ? null : quantiles.copy(),
                        reservoir.copy(),
                        rff == null ? null : rff.copy());
        for (int i = 0; i < staged; i++) {
            c.stage(stage, i * config.dimension(), stageLabels == null ? 0.0 : stageLabels[i]);
        }
        return c;
    }

    public SketchConfig config() {
        return config;
    }

    /** Records added, staged ones included. */
    public long count() {
        return moments.count() + staged;
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /** The live moments sketch (staged records drained into it first). */
    public MomentsSketch moments() {
        drain();
        return moments;
    }

    /**
     * The live quantile sketch (staged records drained into it first); empty when the
     * configuration keeps none (KLL k 0).
     */
    public Optional<QuantileSketch> quantiles() {
        drain();
        return Optional.ofNullable(quantiles);
    }

    /** The live reservoir sample (staged records drained into it first). */
    public ReservoirSketch reservoir() {
        drain();
        return reservoir;
    }

    /** The live random Fourier sketch, when attached (staged records drained into it first). */
    public Optional<RffSketch> rff() {
        drain();
        return Optional.ofNullable(rff);
    }

    /** Serialises with the current layout (version 2); the staged records stay staged. */
    public byte[] toBytes() {
        byte[] m = moments.toBytes();
        byte[] q = quantiles == null ? null : quantiles.toBytes();
        byte[] r = reservoir.toBytes();
        byte[] f = rff == null ? null : rff.toBytes();
        int size = 2 + 4 * 4 + 8 + 1 + 8 + m.length + r.length + 1;
        size += q == null ? 0 : 4 + q.length;
        size += f == null ? 0 : 4 + f.length;
        int d = config.dimension();
        size += 4 + 8 * staged * (d + (stageLabels == null ? 0 : 1));
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.put(VERSION_2).put(TYPE);
        buf.putInt(config.dimension()).putInt(config.reservoirSize()).putInt(config.kllK());
        buf.putInt(config.rffPairs()).putLong(config.seed()).put((byte) (config.labelled() ? 1 : 0));
        buf.putInt(m.length).put(m);
        if (q != null) {
            buf.putInt(q.length).put(q);
        }
        buf.putInt(r.length).put(r);
        if (f == null) {
            buf.put((byte) 0);
        } else {
            buf.put((byte) 1).putInt(f.length).put(f);
        }
        buf.putInt(staged);
        Bytes.putDoubles(buf, stage, 0, staged * d);
        if (stageLabels != null) {
            Bytes.putDoubles(buf, stageLabels, 0, staged);
        }
        return buf.array();
    }

    /** Whether {@code bytes} carry a window sketch's type tag (any version), as a reader's guard. */
    public static boolean isWindowSketch(byte[] bytes) {
        return bytes != null && bytes.length >= 2 && bytes[1] == TYPE;
    }

    /** Reads bytes written by any released version of {@link #toBytes()}. */
    public static WindowSketch fromBytes(byte[] bytes) {
        return Bytes.decode(bytes, TYPE, WHAT, VERSION_2, WindowSketch::read);
    }

    private static WindowSketch read(ByteBuffer buf, byte version) {
        int d = buf.getInt();
        int reservoirSize = buf.getInt();
        int kllK = buf.getInt();
        int pairs = buf.getInt();
        long seed = buf.getLong();
        byte labelled = buf.get();
        Checks.checkArgument(labelled == 0 || labelled == 1, "bad label flag %s", labelled);
        SketchConfig config = new SketchConfig(d, reservoirSize, kllK, pairs, seed, labelled == 1);
        MomentsSketch m = MomentsSketch.fromBytes(part(buf));
        QuantileSketch q = config.hasQuantiles() ? QuantileSketch.fromBytes(part(buf)) : null;
        ReservoirSketch r = ReservoirSketch.fromBytes(part(buf));
        byte hasRff = buf.get();
        Checks.checkArgument(hasRff == 0 || hasRff == 1, "bad RFF flag %s", hasRff);
        RffSketch f = hasRff == 1 ? RffSketch.fromBytes(part(buf)) : null;
        int staged = version == VERSION_2 ? buf.getInt() : 0;
        Checks.checkArgument(
                staged >= 0 && (long) staged * 8 * d <= buf.remaining(), "bad staged count %s", staged);
        double[][] rows = new double[staged][];
        for (int i = 0; i < staged; i++) {
            rows[i] = Bytes.getDoubles(buf, d);
        }
        double[] labels = labelled == 1 ? Bytes.getDoubles(buf, staged) : null;
        Bytes.checkConsumed(buf, WHAT);
        Checks.checkArgument(
                m.dimension() == d && (q == null || q.dimension() == d) && r.dimension() == d,
                "component dimensions differ from header dimension %s",
                d);
        Checks.checkArgument(
                r.capacity() == reservoirSize && (q == null || q.k() == kllK) && r.hasLabels() == (labelled == 1),
                "component sizes differ from the header");
        Checks.checkArgument(
                f == null || (f.basis().dimension() == d && f.basis().pairs() == pairs),
                "random Fourier sketch differs from the header");
        WindowSketch w = new WindowSketch(config, m, q, r, f);
        for (int i = 0; i < staged; i++) {
            double label = labels == null ? 0.0 : labels[i];
            Checks.checkRecord(rows[i], d);
            Checks.checkArgument(labels == null || Double.isFinite(label), "staged label %s is not finite", label);
            w.stage(rows[i], 0, label);
        }
        return w;
    }

    private static byte[] part(ByteBuffer buf) {
        int len = buf.getInt();
        Checks.checkArgument(len > 0 && len <= buf.remaining(), "bad component length %s", len);
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    /** A thread's scratch for draining: one record, one feature's column and KLL's arrangement. */
    private static final class Scratch {
        final double[] column = new double[MAX_STAGE];
        final NearSort order = new NearSort(MAX_STAGE);
        private double[] row = new double[0];

        double[] row(int d) {
            if (row.length != d) {
                row = new double[d]; // the parts read a record's length as its dimension
            }
            return row;
        }
    }

    @Override
    public String toString() {
        return "WindowSketch{" + config + ", count=" + count() + ", rff=" + (rff != null) + "}";
    }
}
