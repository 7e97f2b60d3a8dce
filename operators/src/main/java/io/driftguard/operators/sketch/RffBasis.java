package io.driftguard.operators.sketch;

import java.util.Objects;

/**
 * The random frequencies of a random Fourier feature map for the Gaussian kernel of bandwidth
 * sigma (Rahimi and Recht 2007), fixed by (dimension, pairs, sigma, seed).
 *
 * <p>Frequencies omega_k ~ N(0, sigma^-2 I), k = 1..pairs, are drawn from a SplitMix64 stream with
 * StrictMath, so the same four values give the same basis on every JVM. The feature map uses
 * sin/cos pairs, phi(x) = sqrt(1/pairs) [cos(omega_k . x), sin(omega_k . x)]_k, of dimension D = 2
 * pairs; then E[phi(x) . phi(y)] = k(x, y) = exp(-||x - y||^2 / (2 sigma^2)). The frequencies are
 * stored transposed (one array of length pairs per feature) so that projecting a record is a few
 * contiguous multiply-add loops that the JIT vectorises; the projection and the sine/cosine run in
 * float arithmetic (twice the SIMD lanes of double) on the frequencies rounded to float. Immutable
 * and thread-safe.
 */
public final class RffBasis {
    private final int dimension;
    private final int pairs;
    private final double sigma;
    private final long seed;
    private final double[][] omegaT;
    // The frequencies rounded to float: the feature map runs in float arithmetic.
    private final float[][] omegaF;

    /**
     * Creates the basis.
     *
     * @param dimension features per record
     * @param pairs number of frequencies (the feature map has 2 * pairs coordinates)
     * @param sigma Gaussian kernel bandwidth, positive and finite
     * @param seed fixes the frequencies
     */
    public RffBasis(int dimension, int pairs, double sigma, long seed) {
        Checks.checkArgument(dimension > 0, "dimension must be positive, got %s", dimension);
        Checks.checkArgument(pairs > 0, "pairs must be positive, got %s", pairs);
        Checks.checkArgument(
                sigma > 0 && Double.isFinite(sigma), "sigma must be positive and finite, got %s", sigma);
        this.dimension = dimension;
        this.pairs = pairs;
        this.sigma = sigma;
        this.seed = seed;
        this.omegaT = new double[dimension][pairs];
        SplitMix64 random = new SplitMix64(seed);
        double inv = 1.0 / sigma;
        for (int k = 0; k < pairs; k++) {
            for (int f = 0; f < dimension; f++) {
                omegaT[f][k] = random.nextGaussian() * inv;
            }
        }
        this.omegaF = new float[dimension][pairs];
        for (int f = 0; f < dimension; f++) {
            for (int k = 0; k < pairs; k++) {
                omegaF[f][k] = (float) omegaT[f][k];
            }
        }
    }

    public int dimension() {
        return dimension;
    }

    public int pairs() {
        return pairs;
    }

    /** Feature-map dimension D = 2 * pairs. */
    public int features() {
        return 2 * pairs;
    }

    public double sigma() {
        return sigma;
    }

    public long seed() {
        return seed;
    }

    /** Returns frequency k's component for feature f. */
    public double frequency(int k, int f) {
        return omegaT[f][k];
    }

    /**
     * Writes z[k] = omega_k . x for k < pairs in float arithmetic; no allocation. Four features per
     * pass (the first pass writes, the others add), each a chain of fused multiply-adds in feature
     * order, so the rounding is that of one sequential chain x_0 w_0 + x_1 w_1 + ... whatever the
     * pass split. The phase error is about 2^-24 sum_f |omega_kf x_f|: data far from the origin
     * compared to sigma (|x| / sigma above about 1e3) lose accuracy.
     */
    void project(double[] x, float[] z) {
        int f = projectHead(x, z);
        while (f < dimension) {
            f = projectStep(x, z, f, dimension);
        }
    }

    private int projectHead(double[] x, float[] z) {
        final int p = pairs;
        final int d = dimension;
        final float x0 = (float) x[0];
        final float[] w0 = omegaF[0];
        if (d >= 4) {
            final float x1 = (float) x[1];
            final float x2 = (float) x[2];
            final float x3 = (float) x[3];
            final float[] w1 = omegaF[1];
            final float[] w2 = omegaF[2];
            final float[] w3 = omegaF[3];
            for (int k = 0; k < p; k++) {
                z[k] = Math.fma(x3, w3[k], Math.fma(x2, w2[k], Math.fma(x1, w1[k], x0 * w0[k])));
            }
            return 4;
        }
        if (d >= 2) {
            final float x1 = (float) x[1];
            final float[] w1 = omegaF[1];
            for (int k = 0; k < p; k++) {
                z[k] = Math.fma(x1, w1[k], x0 * w0[k]);
            }
            return 2;
        }
        for (int k = 0; k < p; k++) {
            z[k] = x0 * w0[k];
        }
        return 1;
    }

    /** z[k] += x_g omega_k,g for g in [f, min(f + 4, end)), fused in feature order. */
    private int projectStep(double[] x, float[] z, int f, int end) {
        final int p = pairs;
        if (f + 4 <= end) {
            // Four features per pass: one load and store of z per four fused multiply-adds
            // (Math.fma is a vectorisable intrinsic; a * b + c is never fused by the JIT).
            final float x0 = (float) x[f];
            final float x1 = (float) x[f + 1];
            final float x2 = (float) x[f + 2];
            final float x3 = (float) x[f + 3];
            final float[] w0 = omegaF[f];
            final float[] w1 = omegaF[f + 1];
            final float[] w2 = omegaF[f + 2];
            final float[] w3 = omegaF[f + 3];
            for (int k = 0; k < p; k++) {
                z[k] =
                        Math.fma(
                                x3,
                                w3[k],
                                Math.fma(x2, w2[k], Math.fma(x1, w1[k], Math.fma(x0, w0[k], z[k]))));
            }
            return f + 4;
        }
        for (; f < end; f++) {
            final float xf = (float) x[f];
            final float[] w = omegaF[f];
            for (int k = 0; k < p; k++) {
                z[k] = Math.fma(xf, w[k], z[k]);
            }
        }
        return f;
    }

    /**
     * Writes phi(x) into {@code out} (length 2 * pairs): cosines first, then sines.
     *
     * <p>Allocates a scratch array; the sketches' update path uses a reused one instead.
     */
    public void featureMap(double[] x, double[] out) {
        Checks.checkRecord(x, dimension);
        Checks.checkArgument(
                out != null && out.length == 2 * pairs, "out must have length %s", 2 * pairs);
        float[] z = new float[pairs];
        float[] c = new float[pairs];
        float[] s = new float[pairs];
        project(x, z);
        FastTrig.cosSin(z, pairs, c, s);
        double scale = Math.sqrt(1.0 / pairs);
        for (int k = 0; k < pairs; k++) {
            out[k] = scale * c[k];
            out[pairs + k] = scale * s[k];
        }
    }

    /** Whether {@code other} has the same dimension, pairs, sigma and seed. */
    public boolean isCompatible(RffBasis other) {
        return other != null
                && other.dimension == dimension
                && other.pairs == pairs
                && Double.compare(other.sigma, sigma) == 0
                && other.seed == seed;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RffBasis && isCompatible((RffBasis) o);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dimension, pairs, sigma, seed);
    }

    @Override
    public String toString() {
        return "RffBasis{d=" + dimension + ", pairs=" + pairs + ", sigma=" + sigma + ", seed=" + seed
                + "}";
    }
}
