package io.driftguard.operators.stats;

import java.util.SplittableRandom;

/**
 * Unbiased MMD^2 of the observed split and of B random re-splits of the pooled sample, for one or
 * more bandwidths, all on the same permutations.
 *
 * <p>The pooled Gram matrix of each bandwidth is computed once and stored as floats (the statistic
 * needs about 1e-6 absolute accuracy; floats halve memory traffic and double the SIMD width). For a
 * split with indicator vector a (X members), with off-diagonal row sums r and total T:
 *
 * <pre>
 * P = sum_{i<j} a_i a_j K_ij,  A = a . r
 * S_xx = 2P,  S_xy = A - 2P,  S_yy = T - 2A + 2P
 * </pre>
 *
 * so only P costs O(N^2) per permutation. P is computed for a block of 64 permutations at once as
 * the diagonal of W^T K W restricted to the upper triangle (W the N x 64 indicator matrix), with
 * four rows and two columns of K per pass so that each accumulator load and store carries two
 * fused multiply-adds (exact reorderings: the weights are 0 or 1); the inner loop runs over the 64
 * permutations and vectorises. Cost O(L N^2 B / 2) multiply-adds and
 * O(L N^2) float memory for L bandwidths.
 */
final class PermutationEngine {
    static final int BLOCK = 64;

    private PermutationEngine() {}

    /**
     * Returns stats[l][b]: unbiased MMD^2 for bandwidth sigmas[l] under split b, where b = 0 is the
     * observed split (X = first m pooled points) and b = 1..B are uniform random splits.
     */
    static double[][] run(PooledData p, double[] sigmas, int permutations, long seed) {
        final int size = p.size;
        final int m = p.m;
        final int n = p.n;
        final int levels = sigmas.length;
        Checks.checkArgument(
                (long) size * size <= Integer.MAX_VALUE - 8,
                "pooled sample too large for the permutation test: %s",
                size);
        float[][] kernels = new float[levels][size * size];
        double[][] rowSums = new double[levels][size];
        double[] total = new double[levels];
        double[] dist = new double[size];
        double[] kr = new double[size];
        for (int i = 0; i < size - 1; i++) {
            p.squaredDistances(i, i + 1, size, dist);
            for (int l = 0; l < levels; l++) {
                System.arraycopy(dist, i + 1, kr, i + 1, size - i - 1);
                KernelMath.gaussian(kr, i + 1, size, 1.0 / (2.0 * sigmas[l] * sigmas[l]));
                float[] k = kernels[l];
                double[] r = rowSums[l];
                int base = i * size;
                double s = 0;
                for (int j = i + 1; j < size; j++) {
                    float v = (float) kr[j];
                    k[base + j] = v;
                    s += v;
                    r[j] += v;
                }
                r[i] += s;
            }
        }
        for (int l = 0; l < levels; l++) {
            total[l] = KernelMath.sum(rowSums[l], 0, size);
        }

        double[][] stats = new double[levels][permutations + 1];
        SplittableRandom random = new SplittableRandom(seed);
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        // One array per pooled point: loads w[j][c] and stores acc[c] then share the index c, which
        // lets C2 vectorise the inner loop (a shared array with offsets j * BLOCK could alias).
        float[][] w = new float[size][BLOCK];
        double[] pairSums = new double[BLOCK];
        double[][] a = new double[levels][BLOCK];
        Scratch scratch = new Scratch();
        for (int b0 = 0; b0 <= permutations; b0 += BLOCK) {
            int nb = Math.min(BLOCK, permutations + 1 - b0);
            for (float[] row : w) {
                java.util.Arrays.fill(row, 0f);
            }
            for (int c = 0; c < nb; c++) {
                if (b0 + c > 0) {
                    // A partial Fisher-Yates pass draws a uniform m-subset for X, whatever the
                    // current order.
                    for (int t = 0; t < m; t++) {
                        int j = t + random.nextInt(size - t);
                        int tmp = perm[t];
                        perm[t] = perm[j];
                        perm[j] = tmp;
                    }
                }
                for (int l = 0; l < levels; l++) {
                    a[l][c] = 0;
                }
                for (int t = 0; t < m; t++) {
                    int i = perm[t];
                    w[i][c] = 1f;
                    for (int l = 0; l < levels; l++) {
                        a[l][c] += rowSums[l][i];
                    }
                }
            }
            for (int l = 0; l < levels; l++) {
                upperPairSums(kernels[l], size, w, pairSums, scratch);
                for (int c = 0; c < nb; c++) {
                    double pp = pairSums[c];
                    double sxx = 2.0 * pp;
                    double sxy = a[l][c] - 2.0 * pp;
                    double syy = total[l] - 2.0 * a[l][c] + 2.0 * pp;
                    stats[l][b0 + c] =
                            sxx / ((double) m * (m - 1))
                                    + syy / ((double) n * (n - 1))
                                    - 2.0 * sxy / ((double) m * n);
                }
            }
        }
        return stats;
    }

    /** Reused accumulators of {@link #upperPairSums}. */
    static final class Scratch {
        final float[] a0 = new float[BLOCK];
        final float[] a1 = new float[BLOCK];
        final float[] a2 = new float[BLOCK];
        final float[] a3 = new float[BLOCK];
    }

    /** out[c] = sum_{i<j} w[i][c] w[j][c] k[i][j], k row-major size x size (upper part read). */
    static void upperPairSums(float[] k, int size, float[][] w, double[] out, Scratch s) {
        java.util.Arrays.fill(out, 0.0);
        final float[] a0 = s.a0;
        final float[] a1 = s.a1;
        final float[] a2 = s.a2;
        final float[] a3 = s.a3;
        int i0 = 0;
        for (; i0 + 3 < size; i0 += 4) {
            java.util.Arrays.fill(a0, 0f);
            java.util.Arrays.fill(a1, 0f);
            java.util.Arrays.fill(a2, 0f);
            java.util.Arrays.fill(a3, 0f);
            final int r0 = i0 * size;
            final int r1 = r0 + size;
            final int r2 = r1 + size;
            final int r3 = r2 + size;
            // The triangle inside the four-row block.
            axpy(a0, k[r0 + i0 + 1], w[i0 + 1]);
            axpy(a0, k[r0 + i0 + 2], w[i0 + 2]);
            axpy(a0, k[r0 + i0 + 3], w[i0 + 3]);
            axpy(a1, k[r1 + i0 + 2], w[i0 + 2]);
            axpy(a1, k[r1 + i0 + 3], w[i0 + 3]);
            axpy(a2, k[r2 + i0 + 3], w[i0 + 3]);
            // Two columns of K per pass: each accumulator is loaded and stored once per two
            // fused multiply-adds. The weights are 0 or 1, so k * w is exact and fma(k, w, a)
            // equals a + k * w: the sums (in column order) are the same as one column at a time.
            int j = i0 + 4;
            for (; j + 1 < size; j += 2) {
                final float k00 = k[r0 + j];
                final float k01 = k[r0 + j + 1];
                final float k10 = k[r1 + j];
                final float k11 = k[r1 + j + 1];
                final float k20 = k[r2 + j];
                final float k21 = k[r2 + j + 1];
                final float k30 = k[r3 + j];
                final float k31 = k[r3 + j + 1];
                final float[] wa = w[j];
                final float[] wb = w[j + 1];
                for (int c = 0; c < BLOCK; c++) {
                    float va = wa[c];
                    float vb = wb[c];
                    a0[c] = Math.fma(k01, vb, Math.fma(k00, va, a0[c]));
                    a1[c] = Math.fma(k11, vb, Math.fma(k10, va, a1[c]));
                    a2[c] = Math.fma(k21, vb, Math.fma(k20, va, a2[c]));
                    a3[c] = Math.fma(k31, vb, Math.fma(k30, va, a3[c]));
                }
            }
            for (; j < size; j++) {
                final float k0 = k[r0 + j];
                final float k1 = k[r1 + j];
                final float k2 = k[r2 + j];
                final float k3 = k[r3 + j];
                final float[] wj = w[j];
                for (int c = 0; c < BLOCK; c++) {
                    float wv = wj[c];
                    a0[c] += k0 * wv;
                    a1[c] += k1 * wv;
                    a2[c] += k2 * wv;
                    a3[c] += k3 * wv;
                }
            }
            final float[] w0 = w[i0];
            final float[] w1 = w[i0 + 1];
            final float[] w2 = w[i0 + 2];
            final float[] w3 = w[i0 + 3];
            for (int c = 0; c < BLOCK; c++) {
                out[c] +=
                        (double) (w0[c] * a0[c])
                                + (double) (w1[c] * a1[c])
                                + (double) (w2[c] * a2[c])
                                + (double) (w3[c] * a3[c]);
            }
        }
        for (; i0 < size; i0++) {
            java.util.Arrays.fill(a0, 0f);
            final int r0 = i0 * size;
            for (int j = i0 + 1; j < size; j++) {
                axpy(a0, k[r0 + j], w[j]);
            }
            final float[] w0 = w[i0];
            for (int c = 0; c < BLOCK; c++) {
                out[c] += (double) (w0[c] * a0[c]);
            }
        }
    }

    private static void axpy(float[] acc, float k, float[] w) {
        for (int c = 0; c < BLOCK; c++) {
            acc[c] += k * w[c];
        }
    }

    /** Permutation p-value (1 + #{b >= 1 : s_b >= s_0 - tol}) / (B + 1). */
    static double pValue(double[] s, double tol) {
        double obs = s[0] - tol;
        int count = 0;
        for (int b = 1; b < s.length; b++) {
            if (s[b] >= obs) {
                count++;
            }
        }
        return (1.0 + count) / s.length;
    }
}
