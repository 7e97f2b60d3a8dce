package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.driftguard.operators.stats.MedianHeuristic;
import io.driftguard.operators.stats.Mmd;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RffSketchTest {

    @Test
    void fastTrigIsAccurate() {
        Random r = new Random(1);
        int n = 100_000;
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            double scale = i % 3 == 0 ? 1 : i % 3 == 1 ? 100 : 1e4;
            z[i] = (float) (scale * (2 * r.nextDouble() - 1));
        }
        z[0] = 0;
        z[1] = (float) (Math.PI / 4);
        z[2] = (float) (-Math.PI / 2);
        z[3] = (float) (3 * Math.PI);
        z[4] = 1e4f;
        z[5] = -1e4f;
        float[] c = new float[n];
        float[] s = new float[n];
        FastTrig.cosSin(z, n, c, s);
        double maxErr = 0;
        for (int i = 0; i < n; i++) {
            // Against the exact functions of the float argument.
            maxErr = Math.max(maxErr, Math.abs(c[i] - Math.cos(z[i])));
            maxErr = Math.max(maxErr, Math.abs(s[i] - Math.sin(z[i])));
        }
        assertThat(maxErr).isLessThan(3e-7);
    }

    @Test
    void featureMapApproximatesTheKernel() {
        RffBasis basis = new RffBasis(4, 4096, 1.3, 5);
        double[] x = {0.1, -0.4, 1.0, 0.3};
        double[] y = {0.5, 0.2, 0.0, -0.2};
        double[] px = new double[8192];
        double[] py = new double[8192];
        basis.featureMap(x, px);
        basis.featureMap(y, py);
        double dot = 0;
        double norm = 0;
        for (int k = 0; k < px.length; k++) {
            dot += px[k] * py[k];
            norm += px[k] * px[k];
        }
        assertThat(norm).isCloseTo(1.0, within(1e-7));
        // Monte Carlo error of a mean of 4096 bounded terms: well under 0.03.
        assertThat(dot).isCloseTo(Mmd.kernel(x, y, 1.3), within(0.03));
    }

    /** Relative RMS error of MMD2_rff against the exact V-statistic for a 0.5-sd mean shift. */
    @Test
    void mmd2ApproximatesTheVStatistic() {
        Random r = new Random(2);
        int d = 8;
        double[][] x = new double[300][d];
        double[][] y = new double[300][d];
        for (int i = 0; i < 300; i++) {
            for (int f = 0; f < d; f++) {
                x[i][f] = r.nextGaussian();
                y[i][f] = r.nextGaussian() + 0.5;
            }
        }
        double sigma = MedianHeuristic.sigma(x, y, 1);
        double exact = Mmd.biased(x, y, sigma);
        int bases = 30;
        double ss = 0;
        for (int b = 0; b < bases; b++) {
            RffBasis basis = new RffBasis(d, 512, sigma, 100 + b); // D = 1024 features
            double v = RffSketch.fromSamples(basis, x).mmd2(RffSketch.fromSamples(basis, y));
            ss += (v - exact) * (v - exact);
        }
        double relRms = Math.sqrt(ss / bases) / exact;
        assertThat(relRms).isLessThan(0.10);
    }

    @Test
    void mergeEqualsUnionAndIsAssociative() {
        RffBasis basis = new RffBasis(3, 64, 2.0, 9);
        Random r = new Random(3);
        RffSketch all = new RffSketch(basis);
        RffSketch[] parts = {new RffSketch(basis), new RffSketch(basis), new RffSketch(basis)};
        for (int i = 0; i < 600; i++) {
            double[] x = {r.nextGaussian(), r.nextGaussian() * 10, r.nextDouble()};
            all.update(x);
            parts[i < 100 ? 0 : i < 400 ? 1 : 2].update(x);
        }
        RffSketch left = parts[0].copy();
        left.merge(parts[1]);
        left.merge(parts[2]);
        RffSketch bc = parts[1].copy();
        bc.merge(parts[2]);
        RffSketch right = parts[0].copy();
        right.merge(bc);
        double[] e = all.meanEmbedding();
        double[] l = left.meanEmbedding();
        double[] rr = right.meanEmbedding();
        // The documented bound: 2e-6 per mean cosine or sine sum (the embedding scales by
        // sqrt(1 / pairs)).
        double bound = 2e-6 * Math.sqrt(1.0 / 64);
        for (int k = 0; k < e.length; k++) {
            assertThat(l[k]).isCloseTo(e[k], within(bound));
            assertThat(rr[k]).isCloseTo(e[k], within(bound));
        }
        assertThat(left.count()).isEqualTo(600);
        assertThat(left.mmd2(all)).isCloseTo(0.0, within(2 * 2e-6 * 2e-6));
    }

    @Test
    void incompatibleSketchesAreRejected() {
        RffSketch a = RffSketch.fromSamples(new RffBasis(2, 8, 1.0, 1), new double[][] {{1, 2}});
        assertThatThrownBy(() -> a.merge(a)).hasMessageContaining("itself");
        for (RffBasis other :
                new RffBasis[] {
                    new RffBasis(2, 8, 1.5, 1), new RffBasis(2, 8, 1.0, 2),
                    new RffBasis(2, 9, 1.0, 1), new RffBasis(3, 8, 1.0, 1)
                }) {
            RffSketch b = new RffSketch(other);
            b.update(new double[other.dimension()]);
            assertThatThrownBy(() -> a.merge(b)).hasMessageContaining("differ in basis");
            assertThatThrownBy(() -> a.mmd2(b)).hasMessageContaining("differ in basis");
        }
        byte[] before = a.toBytes();
        a.merge(new RffSketch(new RffBasis(2, 8, 1.0, 1)));
        assertThat(a.toBytes()).isEqualTo(before);
        assertThatThrownBy(() -> a.mmd2(new RffSketch(new RffBasis(2, 8, 1.0, 1))))
                .hasMessageContaining("non-empty");
    }

    @Test
    void bytesRoundTripAndGoldenV1() {
        RffSketch a = SketchFixtures.rff();
        byte[] bytes = a.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 3);
        assertThat(RffSketch.fromBytes(bytes).toBytes()).isEqualTo(bytes);
        assertThat(RffSketch.fromBytes(bytes, a.basis()).toBytes()).isEqualTo(bytes);
        assertThatThrownBy(() -> RffSketch.fromBytes(bytes, new RffBasis(3, 4, 1.5, 24)))
                .hasMessageContaining("differs");
        byte[] golden = SketchFixtures.load("rff.v1.bin");
        RffSketch g = RffSketch.fromBytes(golden);
        assertThat(g.count()).isEqualTo(10);
        // Version 1 sums came from a double-precision feature map, today's from a float one.
        assertThat(g.mmd2(a)).isCloseTo(0.0, within(1e-10));
        byte[] golden2 = SketchFixtures.load("rff.v2.bin");
        RffSketch g2 = RffSketch.fromBytes(golden2);
        assertThat(g2.count()).isEqualTo(10);
        assertThat(g2.mmd2(a)).isEqualTo(0.0);
        assertThat(g2.meanEmbedding()).isEqualTo(a.meanEmbedding());
        // version 2 kept no present-value sums: imputation restarts from 0
        assertThat(g2.runningMean(0)).isZero();
        assertThat(RffSketch.fromBytes(g2.toBytes()).toBytes()).isEqualTo(g2.toBytes());
        // version 3 with missing values: feature 1 missing in rows 0, 3, 6 and 9
        byte[] golden3 = SketchFixtures.load("rff.v3.bin");
        RffSketch g3 = RffSketch.fromBytes(golden3);
        assertThat(g3.toBytes()).isEqualTo(golden3).isEqualTo(SketchFixtures.rffWithMissing().toBytes());
        assertThat(g3.runningMean(1)).isEqualTo(-(1 + 2 + 4 + 5 + 7 + 8) / 6.0);
    }

    @Test
    void aMissingValueIsImputedByTheFeaturesRunningMeanWithoutChangingTheRest() {
        RffBasis basis = new RffBasis(3, 16, 1.5, 31);
        Random r = new Random(17);
        RffSketch withNaN = new RffSketch(basis);
        RffSketch imputed = new RffSketch(basis);
        double[] sum = new double[3];
        int[] n = new int[3];
        for (int i = 0; i < 300; i++) {
            double[] x = {r.nextGaussian() + 2, r.nextGaussian(), r.nextGaussian() - 1};
            if (i > 0 && r.nextDouble() < 0.25) {
                x[1] = Double.NaN;
            }
            if (i == 0) {
                x[2] = Double.NaN; // before any present value: 0
            }
            double[] filled = x.clone();
            for (int f = 0; f < 3; f++) {
                if (!Double.isNaN(x[f])) {
                    sum[f] += x[f];
                    n[f]++;
                }
            }
            for (int f = 0; f < 3; f++) {
                if (Double.isNaN(x[f])) {
                    filled[f] = n[f] == 0 ? 0.0 : sum[f] / n[f];
                }
            }
            withNaN.update(x);
            imputed.update(filled);
            if (i == 149) {
                // the running means survive serialisation (version 3)
                withNaN = RffSketch.fromBytes(withNaN.toBytes(), basis);
            }
        }
        assertThat(withNaN.count()).isEqualTo(300);
        assertThat(withNaN.mmd2(imputed)).isCloseTo(0.0, within(1e-9));
        assertThat(withNaN.runningMean(1)).isCloseTo(sum[1] / n[1], within(1e-12));
        RffSketch merged = withNaN.copy();
        merged.merge(imputed);
        assertThat(merged.runningMean(0)).isCloseTo(sum[0] / n[0], within(1e-12));
        RffSketch last = withNaN;
        assertThatThrownBy(() -> last.update(new double[] {1, Double.NEGATIVE_INFINITY, 0}))
                .hasMessageContaining("not finite");
    }

    @Test
    void isOverReadsTheBasisFromTheHeader() {
        RffSketch a = SketchFixtures.rff();
        RffBasis b = a.basis();
        byte[] golden1 = SketchFixtures.load("rff.v1.bin");
        assertThat(RffSketch.isOver(a.toBytes(), b)).isTrue();
        assertThat(RffSketch.isOver(golden1, RffSketch.fromBytes(golden1).basis())).isTrue();
        assertThat(RffSketch.isOver(golden1, b)).isTrue(); // fixtures share their basis
        assertThat(RffSketch.isOver(a.toBytes(), new RffBasis(b.dimension(), b.pairs() + 1, b.sigma(), b.seed())))
                .isFalse();
        assertThat(RffSketch.isOver(a.toBytes(), new RffBasis(b.dimension(), b.pairs(), b.sigma() * 2, b.seed())))
                .isFalse();
        assertThat(RffSketch.isOver(a.toBytes(), new RffBasis(b.dimension(), b.pairs(), b.sigma(), b.seed() + 1)))
                .isFalse();
        assertThat(RffSketch.isOver(SketchFixtures.moments().toBytes(), b)).isFalse();
        assertThat(RffSketch.isOver(new byte[] {2, 4, 0}, b)).isFalse();
        assertThat(RffSketch.isOver(null, b)).isFalse();
    }

    /**
     * The float partial sums are part of the state: a sketch serialised mid-way (pending records
     * not yet flushed) and restored goes on exactly as the original, and its values equal the
     * double-precision feature map within float rounding.
     */
    @Test
    void partialSumsSurviveSerialisationExactly() {
        RffBasis basis = new RffBasis(5, 32, 1.1, 9);
        Random r = new Random(3);
        double[][] rows = new double[500][5];
        for (double[] row : rows) {
            for (int f = 0; f < 5; f++) {
                row[f] = r.nextGaussian();
            }
        }
        RffSketch straight = new RffSketch(basis);
        RffSketch cut = new RffSketch(basis);
        for (int i = 0; i < rows.length; i++) {
            straight.update(rows[i]);
            cut.update(rows[i]);
            if (i % 97 == 13) {
                cut = RffSketch.fromBytes(cut.toBytes(), basis);
            }
        }
        assertThat(cut.toBytes()).isEqualTo(straight.toBytes());
        double[] embedding = straight.meanEmbedding();
        double[] ref = new double[64];
        double[] phi = new double[64];
        for (double[] row : rows) {
            double[] x = row;
            double scale = Math.sqrt(1.0 / 32);
            for (int k = 0; k < 32; k++) {
                double z = 0;
                for (int f = 0; f < 5; f++) {
                    z += basis.frequency(k, f) * x[f];
                }
                phi[k] = scale * Math.cos(z);
                phi[32 + k] = scale * Math.sin(z);
            }
            for (int k = 0; k < 64; k++) {
                ref[k] += phi[k] / rows.length;
            }
        }
        for (int k = 0; k < 64; k++) {
            assertThat(embedding[k]).as("coordinate %s", k).isCloseTo(ref[k], within(1e-6));
        }
    }

    /**
     * A closed window's summary (version 5) compares with any sketch as the sketch it came from, up
     * to the single-precision rounding of its sums: partial sums still pending (a count that is no
     * multiple of the flush interval) and missing values included; it is less than half the full
     * layout; and a version-4 summary (double sums) still reads.
     */
    @Test
    void aSummaryComparesLikeItsSketchUpToSinglePrecision() {
        RffBasis basis = new RffBasis(8, 128, 1.7, 9);
        Random r = new Random(3);
        RffSketch a = new RffSketch(basis);
        RffSketch b = new RffSketch(basis);
        for (int i = 0; i < 437; i++) {
            double[] x = new double[8];
            double[] y = new double[8];
            for (int f = 0; f < 8; f++) {
                x[f] = r.nextGaussian();
                y[f] = i % 7 == f ? Double.NaN : r.nextGaussian() + 0.2;
            }
            a.update(x);
            if (i < 301) {
                b.update(y);
            }
        }
        RffSketch summaryA = RffSketch.fromBytes(a.toSummaryBytes(), basis);
        RffSketch summaryB = RffSketch.fromBytes(b.toSummaryBytes());
        assertThat(summaryA.count()).isEqualTo(437);
        // single-precision sums: each mean coordinate within half an ulp of its sum over the count
        // (about 3.5e-8 here), so the squared distance moves by at most about 1e-6
        double exact = a.mmd2(b);
        assertThat(exact).isGreaterThan(1e-3);
        assertThat(summaryA.mmd2(b)).isCloseTo(exact, within(1e-6));
        assertThat(b.mmd2(summaryA)).isCloseTo(b.mmd2(a), within(1e-6));
        assertThat(summaryA.mmd2(summaryB)).isCloseTo(exact, within(2e-6));
        assertThat(summaryA.mmd2(a)).isLessThan(1e-12);
        assertThat(RffSketch.isOver(a.toSummaryBytes(), basis)).isTrue();
        assertThat(RffSketch.isOver(a.toSummaryBytes(), new RffBasis(8, 128, 1.7, 10))).isFalse();
        assertThat(a.toSummaryBytes().length).isEqualTo(34 + 8 * 128).isLessThan(a.toBytes().length / 2);

        // a version-4 summary (double sums, written by earlier releases) still reads, exactly
        java.nio.ByteBuffer v4 = java.nio.ByteBuffer.allocate(34 + 16 * 128);
        v4.put((byte) 4).put((byte) 4).putInt(8).putInt(128).putDouble(1.7).putLong(9).putLong(437);
        java.nio.ByteBuffer v5 = java.nio.ByteBuffer.wrap(a.toSummaryBytes(), 34, 8 * 128);
        double[] sums = new double[256];
        for (int k = 0; k < 256; k++) {
            sums[k] = v5.getFloat();
            v4.putDouble(sums[k]);
        }
        RffSketch old = RffSketch.fromBytes(v4.array(), basis);
        assertThat(old.count()).isEqualTo(437);
        assertThat(Double.doubleToRawLongBits(old.mmd2(b))).isEqualTo(Double.doubleToRawLongBits(summaryA.mmd2(b)));
    }
}
