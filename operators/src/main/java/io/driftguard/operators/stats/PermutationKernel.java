package io.driftguard.operators.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-tiled Vector API form of {@link PermutationEngine}'s four-row block; loaded only when
 * {@link io.driftguard.operators.simd.Simd#enabled()}.
 *
 * <p>Four rows of K times two vectors of permutations give eight accumulators that stay in
 * registers for the whole row, so each column costs two loads of indicator weights, four
 * broadcasts and eight fused multiply-adds, instead of the scalar loop's accumulator loads and
 * stores. Each accumulator adds its terms in increasing column order and, the weights being 0 or
 * 1, fma(w, k, a) equals a + k * w: the sums are bit for bit those of the scalar loop.
 */
final class PermutationKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> DF = FloatVector.SPECIES_128;

    private PermutationKernel() {}

    /**
     * One row of the pooled Gram matrix: given dist[j] from {@link PooledData#squaredDistances}
     * for j in (i, size), writes kr[j] = {@link KernelMath#gaussian} of it (the same operations in
     * the same order, so the same doubles), k[base + j] = (float) kr[j] and adds k[base + j] to
     * r[j], in one pass with the exponential in registers (the scalar path makes three).
     */
    static void kernelRow(
            double[] dist, int i, int size, double gamma, double[] kr, float[] k, int base,
            double[] r) {
        final double scale = -gamma * (1.0 / 256);
        final double floor = KernelMath.EXP_FLOOR / 256;
        final int len = D.length();
        int j = i + 1;
        for (; j + len <= size; j += len) {
            DoubleVector t0 = DoubleVector.fromArray(D, dist, j).mul(scale);
            // Math.max(t0, floor) for finite t0; the lanewise MAX of doubles is not intrinsified
            // on every JDK 17 target, and its Java fallback boxes every operation.
            DoubleVector t = t0.blend(floor, t0.compare(VectorOperators.LT, floor));
            DoubleVector e = t.fma(KernelMath.E10, KernelMath.E9);
            e = e.fma(t, DoubleVector.broadcast(D, KernelMath.E8));
            e = e.fma(t, DoubleVector.broadcast(D, KernelMath.E7));
            e = e.fma(t, DoubleVector.broadcast(D, KernelMath.E6));
            e = e.fma(t, DoubleVector.broadcast(D, KernelMath.E5));
            e = e.fma(t, DoubleVector.broadcast(D, KernelMath.E4));
            e = e.fma(t, DoubleVector.broadcast(D, KernelMath.E3));
            e = e.fma(t, DoubleVector.broadcast(D, KernelMath.E2));
            e = e.fma(t, DoubleVector.broadcast(D, 1.0));
            e = e.fma(t, DoubleVector.broadcast(D, 1.0));
            e = e.mul(e);
            e = e.mul(e);
            e = e.mul(e);
            e = e.mul(e);
            e = e.mul(e);
            e = e.mul(e);
            e = e.mul(e);
            e = e.mul(e);
            e.intoArray(kr, j);
            FloatVector ef = (FloatVector) e.convertShape(VectorOperators.D2F, DF, 0);
            ef.intoArray(k, base + j);
            DoubleVector back = (DoubleVector) ef.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector.fromArray(D, r, j).add(back).intoArray(r, j);
        }
        if (j < size) {
            System.arraycopy(dist, j, kr, j, size - j);
            KernelMath.gaussian(kr, j, size, gamma);
            for (; j < size; j++) {
                float v = (float) kr[j];
                k[base + j] = v;
                r[j] += v;
            }
        }
    }

    /** Whether {@code lanes} splits into pairs of vectors. */
    static boolean fits(int lanes) {
        return lanes % (2 * F.length()) == 0;
    }

    /**
     * acc[r * BLOCK + c] = sum_{j > i0 + r} k[(i0 + r) * size + j] * w[j * BLOCK + c] for r < 4
     * and c < BLOCK, in increasing j; requires i0 + 3 < size and {@link #fits}(BLOCK).
     */
    static void rowBlock4(float[] k, int size, float[] w, int i0, float[] acc) {
        // A compile-time stride lets C2 drop the bounds checks of the vector loads.
        final int lanes = PermutationEngine.BLOCK;
        final int len = F.length();
        final int r0 = i0 * size;
        final int r1 = r0 + size;
        final int r2 = r1 + size;
        final int r3 = r2 + size;
        final int o1 = (i0 + 1) * lanes;
        final int o2 = o1 + lanes;
        final int o3 = o2 + lanes;
        for (int c = 0; c < lanes; c += 2 * len) {
            final int c1 = c + len;
            // The triangle inside the block, in the scalar loop's order.
            FloatVector w1a = FloatVector.fromArray(F, w, o1 + c);
            FloatVector w1b = FloatVector.fromArray(F, w, o1 + c1);
            FloatVector w2a = FloatVector.fromArray(F, w, o2 + c);
            FloatVector w2b = FloatVector.fromArray(F, w, o2 + c1);
            FloatVector w3a = FloatVector.fromArray(F, w, o3 + c);
            FloatVector w3b = FloatVector.fromArray(F, w, o3 + c1);
            FloatVector zero = FloatVector.zero(F);
            FloatVector k01 = FloatVector.broadcast(F, k[r0 + i0 + 1]);
            FloatVector k02 = FloatVector.broadcast(F, k[r0 + i0 + 2]);
            FloatVector k03 = FloatVector.broadcast(F, k[r0 + i0 + 3]);
            FloatVector k12 = FloatVector.broadcast(F, k[r1 + i0 + 2]);
            FloatVector k13 = FloatVector.broadcast(F, k[r1 + i0 + 3]);
            FloatVector k23 = FloatVector.broadcast(F, k[r2 + i0 + 3]);
            FloatVector a0a = w3a.fma(k03, w2a.fma(k02, w1a.fma(k01, zero)));
            FloatVector a0b = w3b.fma(k03, w2b.fma(k02, w1b.fma(k01, zero)));
            FloatVector a1a = w3a.fma(k13, w2a.fma(k12, zero));
            FloatVector a1b = w3b.fma(k13, w2b.fma(k12, zero));
            FloatVector a2a = w3a.fma(k23, zero);
            FloatVector a2b = w3b.fma(k23, zero);
            FloatVector a3a = zero;
            FloatVector a3b = zero;
            for (int j = i0 + 4; j < size; j++) {
                final int o = j * lanes + c;
                FloatVector wa = FloatVector.fromArray(F, w, o);
                FloatVector wb = FloatVector.fromArray(F, w, o + len);
                FloatVector b0 = FloatVector.broadcast(F, k[r0 + j]);
                a0a = wa.fma(b0, a0a);
                a0b = wb.fma(b0, a0b);
                FloatVector b1 = FloatVector.broadcast(F, k[r1 + j]);
                a1a = wa.fma(b1, a1a);
                a1b = wb.fma(b1, a1b);
                FloatVector b2 = FloatVector.broadcast(F, k[r2 + j]);
                a2a = wa.fma(b2, a2a);
                a2b = wb.fma(b2, a2b);
                FloatVector b3 = FloatVector.broadcast(F, k[r3 + j]);
                a3a = wa.fma(b3, a3a);
                a3b = wb.fma(b3, a3b);
            }
            a0a.intoArray(acc, c);
            a0b.intoArray(acc, c1);
            a1a.intoArray(acc, lanes + c);
            a1b.intoArray(acc, lanes + c1);
            a2a.intoArray(acc, 2 * lanes + c);
            a2b.intoArray(acc, 2 * lanes + c1);
            a3a.intoArray(acc, 3 * lanes + c);
            a3b.intoArray(acc, 3 * lanes + c1);
        }
    }
}
