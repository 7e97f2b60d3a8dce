package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReservoirSketchTest {
    private static final int ITEMS = 20;
    private static final int CAPACITY = 5;
    private static final int TRIALS = 4000;
    /** 99.9% quantile of chi-square with 19 degrees of freedom. */
    private static final double CHI2_19_999 = 43.82;

    private static double chiSquare(long[] counts, double expected) {
        double s = 0;
        for (long c : counts) {
            s += (c - expected) * (c - expected) / expected;
        }
        return s;
    }

    private static void count(ReservoirSketch s, long[] counts) {
        for (double[] row : s.rows()) {
            counts[(int) row[0]]++;
        }
    }

    @Test
    void updatesKeepAUniformSample() {
        long[] counts = new long[ITEMS];
        for (int t = 0; t < TRIALS; t++) {
            ReservoirSketch s = new ReservoirSketch(1, CAPACITY, false, t);
            for (int i = 0; i < ITEMS; i++) {
                s.update(new double[] {i});
            }
            assertThat(s.size()).isEqualTo(CAPACITY);
            count(s, counts);
        }
        assertThat(chiSquare(counts, TRIALS * (double) CAPACITY / ITEMS)).isLessThan(CHI2_19_999);
    }

    @Test
    void mergeThenUpdateKeepsAUniformSampleOfTheUnion() {
        long[] counts = new long[ITEMS];
        for (int t = 0; t < TRIALS; t++) {
            ReservoirSketch a = new ReservoirSketch(1, CAPACITY, false, 2L * t);
            ReservoirSketch b = new ReservoirSketch(1, CAPACITY, false, 2L * t + 1);
            for (int i = 0; i < 3; i++) {
                a.update(new double[] {i});
            }
            for (int i = 3; i < 12; i++) {
                b.update(new double[] {i});
            }
            a.merge(b);
            assertThat(a.seen()).isEqualTo(12);
            for (int i = 12; i < ITEMS; i++) {
                a.update(new double[] {i});
            }
            count(a, counts);
        }
        assertThat(chiSquare(counts, TRIALS * (double) CAPACITY / ITEMS)).isLessThan(CHI2_19_999);
    }

    @Test
    void mergeIsUniformForUnevenSides() {
        long[] counts = new long[ITEMS];
        for (int t = 0; t < TRIALS; t++) {
            ReservoirSketch a = new ReservoirSketch(1, CAPACITY, false, 3L * t);
            ReservoirSketch b = new ReservoirSketch(1, CAPACITY, false, 3L * t + 1);
            ReservoirSketch c = new ReservoirSketch(1, CAPACITY, false, 3L * t + 2);
            for (int i = 0; i < ITEMS; i++) {
                (i < 2 ? a : i < 15 ? b : c).update(new double[] {i});
            }
            b.merge(c);
            a.merge(b);
            assertThat(a.size()).isEqualTo(CAPACITY);
            count(a, counts);
        }
        assertThat(chiSquare(counts, TRIALS * (double) CAPACITY / ITEMS)).isLessThan(CHI2_19_999);
    }

    @Test
    void smallMergesKeepEverythingAndLabelsFollowRows() {
        ReservoirSketch a = new ReservoirSketch(2, 10, true, 1);
        ReservoirSketch b = new ReservoirSketch(2, 10, true, 2);
        a.update(new double[] {1, 10}, 1);
        b.update(new double[] {2, 20}, 2);
        b.update(new double[] {3, 30}, 3);
        a.merge(b);
        assertThat(a.size()).isEqualTo(3);
        double[][] rows = a.rows();
        double[] labels = a.labels();
        for (int i = 0; i < 3; i++) {
            assertThat(labels[i]).isEqualTo(rows[i][0]);
            assertThat(rows[i][1]).isEqualTo(10 * rows[i][0]);
        }
        assertThatThrownBy(() -> a.merge(a)).hasMessageContaining("itself");
        assertThatThrownBy(() -> a.merge(new ReservoirSketch(2, 10, false, 1)))
                .hasMessageContaining("label");
        assertThatThrownBy(() -> a.merge(new ReservoirSketch(2, 11, true, 1)))
                .hasMessageContaining("capacity");
        assertThatThrownBy(() -> a.update(new double[] {1, 2})).isInstanceOf(IllegalStateException.class);
        byte[] before = a.toBytes();
        a.merge(new ReservoirSketch(2, 10, true, 5));
        assertThat(a.toBytes()).isEqualTo(before);
    }

    @Test
    void copyAndRestoreContinueTheSameSequence() {
        ReservoirSketch a = new ReservoirSketch(2, 8, false, 42);
        for (int i = 0; i < 100; i++) {
            a.update(new double[] {i, -i});
        }
        ReservoirSketch copy = a.copy();
        ReservoirSketch restored = ReservoirSketch.fromBytes(a.toBytes());
        for (int i = 100; i < 300; i++) {
            double[] x = {i, -i};
            a.update(x);
            copy.update(x);
            restored.update(x);
        }
        assertThat(copy.toBytes()).isEqualTo(a.toBytes());
        assertThat(restored.toBytes()).isEqualTo(a.toBytes());
    }

    @Test
    void bytesRoundTripAndGoldenV1() {
        ReservoirSketch a = new ReservoirSketch(3, 6, true, 7);
        for (int i = 0; i < 40; i++) {
            a.update(SketchFixtures.row(i), i);
        }
        byte[] bytes = a.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(ReservoirSketch.fromBytes(bytes).toBytes()).isEqualTo(bytes);
        byte[] golden = SketchFixtures.load("reservoir.v1.bin");
        ReservoirSketch g = ReservoirSketch.fromBytes(golden);
        assertThat(g.toBytes()).isEqualTo(golden);
        assertThat(g.seen()).isEqualTo(10);
        assertThat(g.size()).isEqualTo(4);
        // Written before the per-record draw changed to multiply-and-shift: the same records in,
        // another valid sample out, each row with its own label.
        ReservoirSketch fresh = SketchFixtures.reservoir();
        assertThat(fresh.seen()).isEqualTo(g.seen());
        assertThat(fresh.size()).isEqualTo(g.size());
        double[][] rows = g.rows();
        double[] labels = g.labels();
        for (int i = 0; i < rows.length; i++) {
            int index = SketchFixtures.inputIndex(rows[i]);
            assertThat(index).isNotNegative();
            assertThat(labels[i]).isEqualTo(index % 2);
        }
        // a restored old sketch goes on sampling
        for (int i = 10; i < 40; i++) {
            g.update(SketchFixtures.row(i), i % 2);
        }
        assertThat(g.seen()).isEqualTo(40);
        assertThatThrownBy(() -> ReservoirSketch.fromBytes(new byte[] {1, 1, 0}))
                .hasMessageContaining("type tag");
    }
}
