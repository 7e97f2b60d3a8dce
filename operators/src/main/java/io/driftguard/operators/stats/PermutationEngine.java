package io.driftguard.operators.stats;

import io.driftguard.operators.simd.Simd;
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

    /** The permutation statistics and, from the same double-precision kernel rows, the exact sums. */
    record Result(double[][] stats, Mmd.KernelSums[] sums) {}

    /**
     * Returns stats[l][b]: unbiased MMD^2 for bandwidth sigmas[l] under split b, where b = 0 is the
     * observed split (X = first m pooled points) and b = 1..B are uniform random splits; and the
     * exact kernel sums of the observed split per bandwidth, equal bit for bit to {@link
     * Mmd#sums}.
     */
    static Result run(PooledData p, double[] sigmas, int permutations, long seed) {
        return run(p, sigmas, permutations, seed, permutations, null, 0.0);
    }

    /**
     * As {@link #run(PooledData, double[], int, long)}, stopping early: once the splits 0..{@code
     * checkAt} are computed, {@code pValueOf} gets them (stats[l][0..checkAt]) and when its value
     * is at least {@code stopAt} the result holds only those. The permutations are drawn in the
     * same sequence either way, so a stopped result equals a run with B = checkAt and a finished
     * one a run with B = permutations, without computing the Gram matrices twice.
     */
    static Result run(
            PooledData p,
            double[] sigmas,
            int permutations,
            long seed,
            int checkAt,
            java.util.function.ToDoubleFunction<double[][]> pValueOf,
            double stopAt) {
        final int size = p.size;
        final int m = p.m;
        final int n = p.n;
        final int levels = sigmas.length;
        Checks.checkArgument(
                (long) size * size <= Integer.MAX_VALUE - 8,
                "pooled sample too large for the permutation test: %s",
                size);
        float[][] kernels = Workspace.kernels(levels, size * size);
        double[][] rowSums = new double[levels][size];
        double[] total = new double[levels];
        double[] xx = new double[levels];
        double[] yy = new double[levels];
        double[] xy = new double[levels];
        final boolean vector = Simd.enabled() && PermutationKernel.fits(BLOCK);
        double[] dist = new double[size];
        double[] kr = new double[size];
        for (int i = 0; i < size - 1; i++) {
            final int from = i + 1;
            final int base = i * size;
            p.squaredDistances(i, from, size, dist);
            for (int l = 0; l < levels; l++) {
                final double gamma = 1.0 / (2.0 * sigmas[l] * sigmas[l]);
                float[] k = kernels[l];
                double[] r = rowSums[l];
                if (vector) {
                    PermutationKernel.kernelRow(dist, i, size, gamma, kr, k, base, r);
                } else {
                    System.arraycopy(dist, from, kr, from, size - from);
                    KernelMath.gaussian(kr, from, size, gamma);
                    // Separate simple loops: each vectorises; one fused loop with the row's own
                    // reduction would not.
                    for (int j = from; j < size; j++) {
                        k[base + j] = (float) kr[j];
                    }
                    for (int j = from; j < size; j++) {
                        r[j] += k[base + j];
                    }
                }
                r[i] += KernelMath.sum(k, base + from, base + size);
                // The exact statistic, summed as Mmd.sums does.
                if (i < m) {
                    xx[l] += KernelMath.sum(kr, from, m);
                    xy[l] += KernelMath.sum(kr, m, size);
                } else {
                    yy[l] += KernelMath.sum(kr, from, size);
                }
            }
        }
        Mmd.KernelSums[] sums = new Mmd.KernelSums[levels];
        for (int l = 0; l < levels; l++) {
            total[l] = KernelMath.sum(rowSums[l], 0, size);
            sums[l] = new Mmd.KernelSums(2.0 * xx[l], 2.0 * yy[l], xy[l]);
        }

        double[][] stats = new double[levels][permutations + 1];
        SplittableRandom random = new SplittableRandom(seed);
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        // The scalar loop wants one array per pooled point (loads w[j][c] and stores acc[c] share
        // the index c, so C2 vectorises); the vector kernel one flat array (no per-row reference
        // loads and bounds checks).
        float[][] w = vector ? null : new float[size][BLOCK];
        float[] wFlat = vector ? Workspace.weights(size * BLOCK) : null;
        double[] pairSums = new double[BLOCK];
        double[][] a = new double[levels][BLOCK];
        Scratch scratch = new Scratch();
        for (int b0 = 0; b0 <= permutations; b0 += BLOCK) {
            int nb = Math.min(BLOCK, permutations + 1 - b0);
            if (vector) {
                java.util.Arrays.fill(wFlat, 0f);
            } else {
                for (float[] row : w) {
                    java.util.Arrays.fill(row, 0f);
                }
            }
            for (int c = 0; c < nb; c++) {
                if (b0 + c > 0) {
                    // A partial Fisher-Yates pass draws a uniform m-subset for X, whatever the
                    // current order.
                    for (int t = 0; t < m; t++) {
                        int j = t + bounded(random, size - t);
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
                    if (vector) {
                        wFlat[i * BLOCK + c] = 1f;
                    } else {
                        w[i][c] = 1f;
                    }
                    for (int l = 0; l < levels; l++) {
                        a[l][c] += rowSums[l][i];
                    }
                }
            }
            for (int l = 0; l < levels; l++) {
                if (vector) {
                    upperPairSumsVector(kernels[l], size, wFlat, pairSums, scratch);
                } else {
                    upperPairSums(kernels[l], size, w, pairSums, scratch);
                }
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
            if (pValueOf != null && checkAt < permutations && b0 <= checkAt && checkAt < b0 + nb) {
                double[][] head = new double[levels][];
                for (int l = 0; l < levels; l++) {
                    head[l] = java.util.Arrays.copyOf(stats[l], checkAt + 1);
                }
                if (pValueOf.applyAsDouble(head) >= stopAt) {
                    return new Result(head, sums);
                }
            }
        }
        return new Result(stats, sums);
    }

    /**
     * Per-thread reuse of the Gram matrices and weights: allocating them per call (4 MiB per
     * bandwidth at 1024 pooled points) makes G1 treat them as humongous objects and collect the
     * old generation every few tests. Only the upper triangle is read, and it is always written
     * first, so stale contents never matter. At most {@value #CACHED_FLOATS} floats (16 MiB) are
     * kept per thread; larger problems allocate per call.
     */
    static final class Workspace {
        static final long CACHED_FLOATS = 4L << 20;
        private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);
        private float[][] kernels = new float[0][];
        private float[] weights = new float[0];

        static float[][] kernels(int levels, int length) {
            if ((long) levels * length > CACHED_FLOATS) {
                return new float[levels][length];
            }
            Workspace w = LOCAL.get();
            if (w.kernels.length < levels || w.kernels[0].length < length) {
                w.kernels = new float[levels][length];
            }
            return w.kernels;
        }

        static float[] weights(int length) {
            if (length > CACHED_FLOATS) {
                return new float[length];
            }
            Workspace w = LOCAL.get();
            if (w.weights.length < length) {
                w.weights = new float[length];
            }
            return w.weights;
        }
    }

    /** Reused accumulators of {@link #upperPairSums}. */
    static final class Scratch {
        final float[] a0 = new float[BLOCK];
        final float[] a1 = new float[BLOCK];
        final float[] a2 = new float[BLOCK];
        final float[] a3 = new float[BLOCK];
        final float[] flat = new float[4 * BLOCK];
    }

    /**
     * As {@link #upperPairSums} with the weights in one array (w[j * BLOCK + c]) and the four-row
     * blocks in {@link PermutationKernel}; the same sums bit for bit.
     */
    static void upperPairSumsVector(float[] k, int size, float[] w, double[] out, Scratch s) {
        java.util.Arrays.fill(out, 0.0);
        final float[] acc = s.flat;
        int i0 = 0;
        for (; i0 + 3 < size; i0 += 4) {
            PermutationKernel.rowBlock4(k, size, w, i0, acc);
            final int o = i0 * BLOCK;
            for (int c = 0; c < BLOCK; c++) {
                out[c] +=
                        (double) (w[o + c] * acc[c])
                                + (double) (w[o + BLOCK + c] * acc[BLOCK + c])
                                + (double) (w[o + 2 * BLOCK + c] * acc[2 * BLOCK + c])
                                + (double) (w[o + 3 * BLOCK + c] * acc[3 * BLOCK + c]);
            }
        }
        for (; i0 < size; i0++) {
            final int r0 = i0 * size;
            java.util.Arrays.fill(acc, 0, BLOCK, 0f);
            for (int j = i0 + 1; j < size; j++) {
                final float kv = k[r0 + j];
                final int o = j * BLOCK;
                for (int c = 0; c < BLOCK; c++) {
                    acc[c] += kv * w[o + c];
                }
            }
            final int o = i0 * BLOCK;
            for (int c = 0; c < BLOCK; c++) {
                out[c] += (double) (w[o + c] * acc[c]);
            }
        }
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
            rowBlock4(k, size, w, i0, a0, a1, a2, a3);
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

    /** acc_r[c] = sum_{j > i0 + r} k[i0 + r][j] w[j][c], r < 4, in increasing j. */
    private static void rowBlock4(
            float[] k, int size, float[][] w, int i0, float[] a0, float[] a1, float[] a2, float[] a3) {
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
    }

    private static void axpy(float[] acc, float k, float[] w) {
        for (int c = 0; c < BLOCK; c++) {
            acc[c] += k * w[c];
        }
    }

    /**
     * A uniform integer in [0, bound), bound > 0, by Lemire's multiply-and-reject method (ACM
     * TOMACS 2019): exact, and a division only in the rare rejection branch, where {@code
     * SplittableRandom.nextInt(bound)} divides on every draw (the draws were a tenth of a
     * 500-permutation test).
     */
    static int bounded(SplittableRandom random, int bound) {
        long m = (random.nextInt() & 0xFFFFFFFFL) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (random.nextInt() & 0xFFFFFFFFL) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
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
