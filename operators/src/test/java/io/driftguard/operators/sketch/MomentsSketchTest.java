package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MomentsSketchTest {

    private static MomentsSketch of(double[][] rows, int from, int to) {
        MomentsSketch s = new MomentsSketch(rows[0].length);
        for (int i = from; i < to; i++) {
            s.update(rows[i]);
        }
        return s;
    }

    private static double[][] data(int n, Random r) {
        double[][] rows = new double[n][3];
        for (double[] row : rows) {
            // Offset 1e3, sd 1: mean rounding stays far below the 1e-12 tolerance.
            row[0] = 1e3 + r.nextGaussian();
            row[1] = 1e-6 * r.nextGaussian() + (r.nextBoolean() ? 1e6 * r.nextGaussian() : 0);
            row[2] = r.nextInt(3);
        }
        return rows;
    }

    private static void assertSame(MomentsSketch a, MomentsSketch b) {
        assertThat(a.count()).isEqualTo(b.count());
        for (int f = 0; f < a.dimension(); f++) {
            assertThat(a.mean(f)).isCloseTo(b.mean(f), within(1e-12 * Math.abs(b.mean(f))));
            assertThat(a.sumSquaredDeviations(f))
                    .isCloseTo(b.sumSquaredDeviations(f), within(1e-12 * b.sumSquaredDeviations(f) + 1e-300));
            assertThat(a.min(f)).isEqualTo(b.min(f));
            assertThat(a.max(f)).isEqualTo(b.max(f));
        }
    }

    @Test
    void matchesTwoPassStatistics() {
        double[][] rows = data(1000, new Random(1));
        MomentsSketch s = of(rows, 0, rows.length);
        for (int f = 0; f < 3; f++) {
            double mean = 0;
            for (double[] row : rows) {
                mean += row[f];
            }
            mean /= rows.length;
            double ss = 0;
            for (double[] row : rows) {
                ss += (row[f] - mean) * (row[f] - mean);
            }
            assertThat(s.mean(f)).isCloseTo(mean, within(1e-12 * Math.abs(mean)));
            assertThat(s.variance(f)).isCloseTo(ss / 999, within(1e-9 * ss / 999));
        }
    }

    @Test
    void mergeEqualsUnionAndIsAssociative() {
        double[][] rows = data(900, new Random(2));
        MomentsSketch all = of(rows, 0, 900);
        MomentsSketch a = of(rows, 0, 100);
        MomentsSketch b = of(rows, 100, 550);
        MomentsSketch c = of(rows, 550, 900);
        MomentsSketch left = a.copy();
        left.merge(b);
        left.merge(c);
        MomentsSketch bc = b.copy();
        bc.merge(c);
        MomentsSketch right = a.copy();
        right.merge(bc);
        assertSame(left, all);
        assertSame(right, all);
        assertSame(left, right);
    }

    @Test
    void mergeRulesAndEmptyOther() {
        MomentsSketch a = of(data(5, new Random(3)), 0, 5);
        byte[] before = a.toBytes();
        a.merge(new MomentsSketch(3));
        assertThat(a.toBytes()).isEqualTo(before);
        MomentsSketch empty = new MomentsSketch(3);
        empty.merge(a);
        assertThat(empty.toBytes()).isEqualTo(before);
        assertThatThrownBy(() -> a.merge(a)).hasMessageContaining("itself");
        assertThatThrownBy(() -> a.merge(new MomentsSketch(2))).hasMessageContaining("dimension");
        assertThatThrownBy(() -> a.update(new double[] {1, Double.NaN, 2}))
                .hasMessageContaining("not finite");
    }

    @Test
    void bytesRoundTripAndGoldenV1() {
        MomentsSketch a = of(data(50, new Random(4)), 0, 50);
        byte[] bytes = a.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(MomentsSketch.fromBytes(bytes).toBytes()).isEqualTo(bytes);
        assertThat(new MomentsSketch(2).toBytes()).isEqualTo(MomentsSketch.fromBytes(new MomentsSketch(2).toBytes()).toBytes());
        byte[] golden = SketchFixtures.load("moments.v1.bin");
        MomentsSketch g = MomentsSketch.fromBytes(golden);
        assertSame(g, SketchFixtures.moments());
        assertThat(g.toBytes()).isEqualTo(golden);
        assertThatThrownBy(() -> MomentsSketch.fromBytes(java.util.Arrays.copyOf(bytes, 20)))
                .hasMessageContaining("truncated");
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> MomentsSketch.fromBytes(future)).hasMessageContaining("version 9");
    }
}
