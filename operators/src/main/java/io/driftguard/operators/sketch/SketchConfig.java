package io.driftguard.operators.sketch;

/**
 * Immutable sizes and seed of the sketches kept for one window of one key.
 *
 * @param dimension features per record, at least 1
 * @param reservoirSize records kept in the uniform sample, at least 2
 * @param kllK KLL accuracy parameter, in [8, 65535] (200 gives about 1.65% rank error), or 0 for
 *     no per-feature quantile sketches (they are most of a window's per-record cost)
 * @param rffPairs random Fourier frequencies (the feature map has 2 * rffPairs coordinates)
 * @param seed fixes every random choice of the sketches
 * @param labelled whether records carry a label that the reservoir keeps
 */
public record SketchConfig(
        int dimension, int reservoirSize, int kllK, int rffPairs, long seed, boolean labelled) {

    /** Default reservoir size. */
    public static final int DEFAULT_RESERVOIR_SIZE = 512;
    /** Default KLL k. */
    public static final int DEFAULT_KLL_K = 200;
    /** Default number of random Fourier frequencies. */
    public static final int DEFAULT_RFF_PAIRS = 256;

    /** Validates the fields. */
    public SketchConfig {
        Checks.checkArgument(dimension > 0, "dimension must be positive, got %s", dimension);
        Checks.checkArgument(reservoirSize >= 2, "reservoirSize must be >= 2, got %s", reservoirSize);
        Checks.checkArgument(
                (long) reservoirSize * dimension <= Integer.MAX_VALUE - 8,
                "reservoirSize * dimension too large: %s * %s",
                reservoirSize,
                dimension);
        Checks.checkArgument(
                kllK == 0 || kllK >= 8 && kllK <= 65535, "kllK must be 0 or in [8, 65535], got %s", kllK);
        Checks.checkArgument(rffPairs > 0, "rffPairs must be positive, got %s", rffPairs);
    }

    /** An unlabelled configuration. */
    public SketchConfig(int dimension, int reservoirSize, int kllK, int rffPairs, long seed) {
        this(dimension, reservoirSize, kllK, rffPairs, seed, false);
    }

    /** Defaults for {@code dimension} features and {@code seed}, unlabelled. */
    public static SketchConfig defaults(int dimension, long seed) {
        return new SketchConfig(
                dimension, DEFAULT_RESERVOIR_SIZE, DEFAULT_KLL_K, DEFAULT_RFF_PAIRS, seed, false);
    }

    /** Whether windows keep per-feature KLL quantile sketches (kllK is not 0). */
    public boolean hasQuantiles() {
        return kllK != 0;
    }

    /** Returns a copy with {@code labelled} set. */
    public SketchConfig withLabelled(boolean value) {
        return new SketchConfig(dimension, reservoirSize, kllK, rffPairs, seed, value);
    }

    /**
     * Returns the random Fourier basis for bandwidth {@code sigma}; every window of a key that uses
     * this configuration and sigma gets the same frequencies, so their sketches compare.
     */
    public RffBasis rffBasis(double sigma) {
        return new RffBasis(dimension, rffPairs, sigma, SplitMix64.derive(seed, RFF_STREAM));
    }

    static final long RFF_STREAM = 0x5246_46L;
    static final long RESERVOIR_STREAM = 0x5253_56L;
}
