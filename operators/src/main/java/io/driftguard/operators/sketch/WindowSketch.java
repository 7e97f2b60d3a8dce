package io.driftguard.operators.sketch;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * All sketches of one window of one key: moments, per-feature KLL quantiles, a uniform reservoir
 * sample and, once a bandwidth is known, a random Fourier feature mean embedding.
 *
 * <p>The random Fourier part is optional because a key's bandwidth is only known after its first
 * window closes: create the sketch with or without an {@link RffBasis}, or attach one later with
 * {@link #attachRff(RffBasis)}. Update is O(d (1 + pairs)) with no allocation besides the KLL
 * sketches' occasional growth. The component sketches returned by the accessors are live: {@link
 * #copy()} first to change a snapshot. Not thread-safe.
 *
 * <p>Byte layout, version 1 (big-endian): {@code [version=1:u8][type=5:u8][d:i32]
 * [reservoirSize:i32][kllK:i32][rffPairs:i32][seed:i64][labelled:u8]}, then {@code [length:i32]
 * [bytes]} of the moments, quantile and reservoir sketches, then {@code [hasRff:u8]} and, when 1,
 * {@code [length:i32][bytes]} of the random Fourier sketch.
 */
public final class WindowSketch {
    static final byte TYPE = 5;
    static final byte VERSION_1 = 1;
    private static final String WHAT = "WindowSketch";

    private final SketchConfig config;
    private final MomentsSketch moments;
    private final QuantileSketch quantiles;
    private final ReservoirSketch reservoir;
    private RffSketch rff; // null until a basis is attached

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
                new QuantileSketch(config.dimension(), config.kllK()),
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
        add(x, 0.0);
    }

    /** Adds a labelled record (labelled configuration); labels are codes chosen by the caller. */
    public void update(double[] x, double label) {
        Checks.checkState(config.labelled(), "this window carries no labels: use update(x)");
        Checks.checkArgument(Double.isFinite(label), "label must be finite, got %s", label);
        Checks.checkRecord(x, config.dimension());
        add(x, label);
    }

    // The record was checked once above; the parts skip their own checks of it.
    private void add(double[] x, double label) {
        reservoir.add(x, label);
        moments.add(x);
        quantiles.add(x);
        if (rff != null) {
            rff.add(x);
        }
    }

    /**
     * Attaches a random Fourier sketch over {@code basis}. When records were already added, it is
     * built from the reservoir sample: exact while no more than {@code reservoirSize} records were
     * seen, otherwise an estimate from the uniform sample (its count is then the sample size).
     *
     * @throws IllegalStateException if a random Fourier sketch is already attached
     */
    public void attachRff(RffBasis basis) {
        Checks.checkArgument(basis != null, "basis must not be null");
        checkBasis(config, basis);
        Checks.checkState(rff == null, "a random Fourier sketch is already attached: %s", rff);
        rff = RffSketch.fromSamples(basis, reservoir.rows());
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
        Checks.checkArgument(
                (rff == null) == (other.rff == null),
                "only one side has a random Fourier sketch");
        moments.merge(other.moments);
        quantiles.merge(other.quantiles);
        reservoir.merge(other.reservoir);
        if (rff != null) {
            rff.merge(other.rff);
        }
    }

    /** Returns an independent copy (a snapshot). */
    public WindowSketch copy() {
        return new WindowSketch(
                config,
                moments.copy(),
                quantiles.copy(),
                reservoir.copy(),
                rff == null ? null : rff.copy());
    }

    public SketchConfig config() {
        return config;
    }

    public long count() {
        return moments.count();
    }

    public boolean isEmpty() {
        return moments.isEmpty();
    }

    /** The live moments sketch. */
    public MomentsSketch moments() {
        return moments;
    }

    /** The live quantile sketch. */
    public QuantileSketch quantiles() {
        return quantiles;
    }

    /** The live reservoir sample. */
    public ReservoirSketch reservoir() {
        return reservoir;
    }

    /** The live random Fourier sketch, when attached. */
    public Optional<RffSketch> rff() {
        return Optional.ofNullable(rff);
    }

    /** Serialises with the current layout (version 1). */
    public byte[] toBytes() {
        byte[] m = moments.toBytes();
        byte[] q = quantiles.toBytes();
        byte[] r = reservoir.toBytes();
        byte[] f = rff == null ? null : rff.toBytes();
        int size = 2 + 4 * 4 + 8 + 1 + 12 + m.length + q.length + r.length + 1;
        size += f == null ? 0 : 4 + f.length;
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.put(VERSION_1).put(TYPE);
        buf.putInt(config.dimension()).putInt(config.reservoirSize()).putInt(config.kllK());
        buf.putInt(config.rffPairs()).putLong(config.seed()).put((byte) (config.labelled() ? 1 : 0));
        buf.putInt(m.length).put(m).putInt(q.length).put(q).putInt(r.length).put(r);
        if (f == null) {
            buf.put((byte) 0);
        } else {
            buf.put((byte) 1).putInt(f.length).put(f);
        }
        return buf.array();
    }

    /** Reads bytes written by any released version of {@link #toBytes()}. */
    public static WindowSketch fromBytes(byte[] bytes) {
        return Bytes.decodeV1(bytes, TYPE, WHAT, VERSION_1, WindowSketch::readV1);
    }

    private static WindowSketch readV1(ByteBuffer buf) {
        int d = buf.getInt();
        int reservoirSize = buf.getInt();
        int kllK = buf.getInt();
        int pairs = buf.getInt();
        long seed = buf.getLong();
        byte labelled = buf.get();
        Checks.checkArgument(labelled == 0 || labelled == 1, "bad label flag %s", labelled);
        SketchConfig config = new SketchConfig(d, reservoirSize, kllK, pairs, seed, labelled == 1);
        MomentsSketch m = MomentsSketch.fromBytes(part(buf));
        QuantileSketch q = QuantileSketch.fromBytes(part(buf));
        ReservoirSketch r = ReservoirSketch.fromBytes(part(buf));
        byte hasRff = buf.get();
        Checks.checkArgument(hasRff == 0 || hasRff == 1, "bad RFF flag %s", hasRff);
        RffSketch f = hasRff == 1 ? RffSketch.fromBytes(part(buf)) : null;
        Bytes.checkConsumed(buf, WHAT);
        Checks.checkArgument(
                m.dimension() == d && q.dimension() == d && r.dimension() == d,
                "component dimensions differ from header dimension %s",
                d);
        Checks.checkArgument(
                r.capacity() == reservoirSize && q.k() == kllK && r.hasLabels() == (labelled == 1),
                "component sizes differ from the header");
        Checks.checkArgument(
                f == null || (f.basis().dimension() == d && f.basis().pairs() == pairs),
                "random Fourier sketch differs from the header");
        return new WindowSketch(config, m, q, r, f);
    }

    private static byte[] part(ByteBuffer buf) {
        int len = buf.getInt();
        Checks.checkArgument(len > 0 && len <= buf.remaining(), "bad component length %s", len);
        byte[] out = new byte[len];
        buf.get(out);
        return out;
    }

    @Override
    public String toString() {
        return "WindowSketch{" + config + ", count=" + count() + ", rff=" + (rff != null) + "}";
    }
}
