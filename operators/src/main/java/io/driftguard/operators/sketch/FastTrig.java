package io.driftguard.operators.sketch;

/**
 * Branch-free cosine and sine over arrays, written so that HotSpot C2 auto-vectorises the loops.
 *
 * <p>Range reduction: q = nearest integer to z * 2/pi (rounding via the 1.5 * 2^52 trick, which
 * needs no double-to-long conversion), r = z - q * pi/2 with a two-part (Cody-Waite) pi/2, so |r|
 * <= pi/4; then Taylor polynomials of degree 9 (sine) and 8 (cosine) and a quadrant rotation whose
 * coefficients cos(q pi/2) and -sin(q pi/2) are exact polynomials in q mod 4 (taken in {-2..2}).
 * Absolute error is below 3e-8 for |z| <= 1e6; beyond about 2^20 * pi/2 the reduction loses
 * accuracy gradually.
 */
final class FastTrig {
    private static final double MAGIC = 0x1.8p52;
    private static final double TWO_OVER_PI = 0.63661977236758134308;
    // pi/2 split so that q * PIO2_HI is exact for |q| < 2^20 (fdlibm's pio2_1 and pio2_1t).
    private static final double PIO2_HI = 1.57079632673412561417e+00;
    private static final double PIO2_LO = 6.07710050650619224932e-11;

    private static final double S3 = -1.0 / 6;
    private static final double S5 = 1.0 / 120;
    private static final double S7 = -1.0 / 5040;
    private static final double S9 = 1.0 / 362880;
    private static final double C2 = -1.0 / 2;
    private static final double C4 = 1.0 / 24;
    private static final double C6 = -1.0 / 720;
    private static final double C8 = 1.0 / 40320;

    private FastTrig() {}

    /**
     * Adds cos(z[k]) to sumCos[k] and sin(z[k]) to sumSin[k] for k < n, overwriting z and the
     * work array u (length >= n).
     *
     * <p>The work is split into two loops because C2 only unrolls, and so only vectorises,
     * loops whose bodies stay under its unroll node limit; one fused loop runs scalar and is about
     * five times slower.
     */
    static void accumulateCosSin(double[] z, int n, double[] sumCos, double[] sumSin, double[] u) {
        // z <- reduced argument r, u <- q mod 4 in {-2..2}.
        for (int k = 0; k < n; k++) {
            double zk = z[k];
            double q = (zk * TWO_OVER_PI + MAGIC) - MAGIC;
            z[k] = (zk - q * PIO2_HI) - q * PIO2_LO;
            u[k] = q - 4.0 * ((q * 0.25 + MAGIC) - MAGIC);
        }
        // cos(r + q pi/2) = a cos r + b sin r and sin(r + q pi/2) = a sin r - b cos r, with
        // a = cos(q pi/2) and b = -sin(q pi/2) exact polynomials at q in {-2, -1, 0, 1, 2}.
        // Math.fma is an intrinsic that C2 vectorises; plain a * b + c would not be fused.
        for (int k = 0; k < n; k++) {
            double r = z[k];
            double r2 = r * r;
            double s = r * Math.fma(r2, Math.fma(r2, Math.fma(r2, Math.fma(r2, S9, S7), S5), S3), 1.0);
            double c = Math.fma(r2, Math.fma(r2, Math.fma(r2, Math.fma(r2, C8, C6), C4), C2), 1.0);
            double q4 = u[k];
            double qq = q4 * q4;
            double a = Math.fma(qq, Math.fma(qq, 1.0 / 6, -7.0 / 6), 1.0);
            double b = q4 * Math.fma(qq, 1.0 / 3, -4.0 / 3);
            sumCos[k] += Math.fma(a, c, b * s);
            sumSin[k] += Math.fma(a, s, -(b * c));
        }
    }

    /** Writes cos(z[k]) and sin(z[k]) for k < n (tests and one-off feature maps). */
    static void cosSin(double[] z, int n, double[] cos, double[] sin) {
        java.util.Arrays.fill(cos, 0, n, 0.0);
        java.util.Arrays.fill(sin, 0, n, 0.0);
        accumulateCosSin(z.clone(), n, cos, sin, new double[n]);
    }
}
