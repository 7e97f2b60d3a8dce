package io.driftguard.operators.sketch;

/**
 * Branch-free cosine and sine over float arrays, written so that HotSpot C2 auto-vectorises the
 * loops (eight lanes per AVX2 register).
 *
 * <p>Range reduction: q = nearest integer to z * 2/pi (rounding via the 1.5 * 2^23 trick, which
 * needs no float-to-int conversion), r = z - q * pi/2 with pi/2 in two parts and fused
 * multiply-adds (each step rounds once, about 3e-8 absolute, for any |q| < 2^22), so |r| <= pi/4;
 * then
 * Taylor polynomials of degree 9 (sine) and 8 (cosine), whose truncation error on [-pi/4, pi/4] is
 * below 3e-8, and a quadrant rotation with cos(q pi/2) = 1 - |u| and -sin(q pi/2) = -u (2 - |u|),
 * u = q mod 4 taken in {-2..2} (exact in floats). Absolute error against cos and sin of the float
 * argument is about 2e-7 for |z| <= 1e4 and grows slowly beyond; past 2^22 * pi/2 the reduction
 * fails.
 */
final class FastTrig {
    private static final float MAGIC = 0x1.8p23f;
    private static final float TWO_OVER_PI = 0.63661977236758134308f;
    // pi/2 = PIO2_1 + PIO2_2 to about 1e-15: the float nearest pi/2 and the float nearest the rest.
    private static final float PIO2_1 = 1.57079637f;
    private static final float PIO2_2 = -4.37113883e-8f;

    private static final float S3 = -1.0f / 6;
    private static final float S5 = 1.0f / 120;
    private static final float S7 = -1.0f / 5040;
    private static final float S9 = 1.0f / 362880;
    private static final float C2 = -1.0f / 2;
    private static final float C4 = 1.0f / 24;
    private static final float C6 = -1.0f / 720;
    private static final float C8 = 1.0f / 40320;

    private FastTrig() {}

    /**
     * Adds cos(z[k]) to sumCos[k] and sin(z[k]) to sumSin[k] for k < n, overwriting z and the
     * work array u (length >= n).
     *
     * <p>The work is split into two loops because C2 only unrolls, and so only vectorises,
     * loops whose bodies stay under its unroll node limit; one fused loop runs scalar and is about
     * five times slower.
     */
    static void accumulateCosSin(float[] z, int n, float[] sumCos, float[] sumSin, float[] u) {
        // z <- reduced argument r, u <- q mod 4 in {-2..2}.
        for (int k = 0; k < n; k++) {
            float zk = z[k];
            float q = Math.fma(zk, TWO_OVER_PI, MAGIC) - MAGIC;
            z[k] = Math.fma(-q, PIO2_2, Math.fma(-q, PIO2_1, zk));
            u[k] = Math.fma(-4.0f, Math.fma(q, 0.25f, MAGIC) - MAGIC, q);
        }
        // cos(r + q pi/2) = a cos r + b sin r and sin(r + q pi/2) = a sin r - b cos r.
        // Math.fma is an intrinsic that C2 vectorises; plain a * b + c would not be fused.
        for (int k = 0; k < n; k++) {
            float r = z[k];
            float r2 = r * r;
            float s = r * Math.fma(r2, Math.fma(r2, Math.fma(r2, Math.fma(r2, S9, S7), S5), S3), 1.0f);
            float c = Math.fma(r2, Math.fma(r2, Math.fma(r2, Math.fma(r2, C8, C6), C4), C2), 1.0f);
            float q4 = u[k];
            float aq = Math.abs(q4);
            float a = 1.0f - aq;
            float b = -q4 * (2.0f - aq);
            sumCos[k] += Math.fma(a, c, b * s);
            sumSin[k] += Math.fma(a, s, -(b * c));
        }
    }

    /** Writes cos(z[k]) and sin(z[k]) for k < n (tests and one-off feature maps). */
    static void cosSin(float[] z, int n, float[] cos, float[] sin) {
        java.util.Arrays.fill(cos, 0, n, 0f);
        java.util.Arrays.fill(sin, 0, n, 0f);
        accumulateCosSin(z.clone(), n, cos, sin, new float[n]);
    }
}
