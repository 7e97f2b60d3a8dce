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
        assertThatThrownBy(() -> a.update(new double[] {1, Double.POSITIVE_INFINITY, 2}))
                .hasMessageContaining("not finite");
    }

    @Test
    void missingValuesAreCountedAndTheMomentsAreThoseOfThePresentValues() {
        Random r = new Random(11);
        double[][] rows = data(400, r);
        double[] rates = {0.0, 0.3, 0.9};
        for (double[] row : rows) {
            for (int f = 1; f < 3; f++) {
                if (r.nextDouble() < rates[f]) {
                    row[f] = Double.NaN;
                }
            }
        }
        MomentsSketch all = of(rows, 0, rows.length);
        MomentsSketch merged = of(rows, 0, 150);
        merged.merge(of(rows, 150, rows.length));
        assertThat(all.count()).isEqualTo(400);
        assertThat(all.hasMissing()).isTrue();
        for (int f = 0; f < 3; f++) {
            // brute force over the present values
            double sum = 0;
            int n = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : rows) {
                if (!Double.isNaN(row[f])) {
                    sum += row[f];
                    n++;
                    min = Math.min(min, row[f]);
                    max = Math.max(max, row[f]);
                }
            }
            double mean = sum / n;
            double ss = 0;
            for (double[] row : rows) {
                if (!Double.isNaN(row[f])) {
                    ss += (row[f] - mean) * (row[f] - mean);
                }
            }
            for (MomentsSketch s : new MomentsSketch[] {all, merged, MomentsSketch.fromBytes(all.toBytes())}) {
                assertThat(s.presentCount(f)).isEqualTo(n);
                assertThat(s.missingRate(f)).isEqualTo((400.0 - n) / 400.0);
                assertThat(s.mean(f)).isCloseTo(mean, within(1e-9 * (Math.abs(mean) + 1)));
                assertThat(s.variance(f)).isCloseTo(ss / (n - 1), within(1e-9 * ss / (n - 1) + 1e-300));
                assertThat(s.min(f)).isEqualTo(min);
                assertThat(s.max(f)).isEqualTo(max);
            }
        }
        assertThat(all.missingRate(0)).isZero();
        assertThat(all.missingRate(2)).isBetween(0.85, 0.95);
        // a feature missing everywhere has no mean, and merges as no values
        MomentsSketch none = new MomentsSketch(1);
        none.update(new double[] {Double.NaN});
        none.update(new double[] {Double.NaN});
        assertThat(none.mean(0)).isNaN();
        assertThat(none.variance(0)).isNaN();
        assertThat(none.missingRate(0)).isEqualTo(1.0);
        MomentsSketch some = new MomentsSketch(1);
        some.update(new double[] {4.0});
        some.update(new double[] {6.0});
        none.merge(some);
        assertThat(none.count()).isEqualTo(4);
        assertThat(none.mean(0)).isEqualTo(5.0);
        assertThat(none.variance(0)).isEqualTo(2.0);
        assertThat(none.missingRate(0)).isEqualTo(0.5);
    }

    @Test
    void bytesRoundTripAndGoldenV1() {
        MomentsSketch a = of(data(50, new Random(4)), 0, 50);
        byte[] bytes = a.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 2);
        assertThat(MomentsSketch.fromBytes(bytes).toBytes()).isEqualTo(bytes);
        assertThat(new MomentsSketch(2).toBytes()).isEqualTo(MomentsSketch.fromBytes(new MomentsSketch(2).toBytes()).toBytes());
        byte[] golden = SketchFixtures.load("moments.v1.bin");
        MomentsSketch g = MomentsSketch.fromBytes(golden);
        assertSame(g, SketchFixtures.moments());
        // version 1 had no present counts: every value was present
        for (int f = 0; f < g.dimension(); f++) {
            assertThat(g.presentCount(f)).isEqualTo(g.count());
        }
        assertThat(g.hasMissing()).isFalse();
        assertThat(g.toBytes()).isEqualTo(SketchFixtures.moments().toBytes());
        // version 2 with missing values: feature 1 is missing in rows 0, 3, 6 and 9
        byte[] golden2 = SketchFixtures.load("moments.v2.bin");
        MomentsSketch g2 = MomentsSketch.fromBytes(golden2);
        assertThat(g2.toBytes()).isEqualTo(golden2).isEqualTo(SketchFixtures.momentsWithMissing().toBytes());
        assertThat(g2.count()).isEqualTo(10);
        assertThat(g2.presentCount(1)).isEqualTo(6);
        assertThat(g2.missingRate(1)).isEqualTo(0.4);
        assertThat(g2.mean(1)).isCloseTo(-4.5, within(1e-12));
        assertThatThrownBy(() -> MomentsSketch.fromBytes(java.util.Arrays.copyOf(bytes, 20)))
                .hasMessageContaining("truncated");
        byte[] future = bytes.clone();
        future[0] = 9;
        assertThatThrownBy(() -> MomentsSketch.fromBytes(future)).hasMessageContaining("version 9");
    }
}
