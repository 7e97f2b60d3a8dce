package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QuantileSketchTest {

    @Test
    void mergedSketchIsWithinTheRankErrorOfTheUnion() {
        Random r = new Random(1);
        int n = 60_000;
        double[][] rows = new double[n][2];
        for (double[] row : rows) {
            row[0] = r.nextGaussian();
            row[1] = Math.exp(r.nextGaussian());
        }
        QuantileSketch a = new QuantileSketch(2, 200);
        QuantileSketch b = new QuantileSketch(2, 200);
        QuantileSketch c = new QuantileSketch(2, 200);
        for (int i = 0; i < n; i++) {
            (i < 10_000 ? a : i < 35_000 ? b : c).update(rows[i]);
        }
        QuantileSketch bc = b.copy();
        bc.merge(c);
        QuantileSketch left = a.copy();
        left.merge(b);
        left.merge(c);
        QuantileSketch right = a.copy();
        right.merge(bc);
        double eps = left.normalizedRankError();
        assertThat(eps).isLessThan(0.02);
        for (int f = 0; f < 2; f++) {
            double[] sorted = new double[n];
            for (int i = 0; i < n; i++) {
                sorted[i] = rows[i][f];
            }
            Arrays.sort(sorted);
            for (double q : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
                double v = sorted[(int) (q * (n - 1))];
                double trueRank = (double) upperIndex(sorted, v) / n;
                assertThat(Math.abs(left.rank(f, v) - trueRank)).isLessThanOrEqualTo(eps);
                assertThat(Math.abs(right.rank(f, v) - trueRank)).isLessThanOrEqualTo(eps);
            }
        }
        assertThat(left.count()).isEqualTo(n);
    }

    private static int upperIndex(double[] sorted, double v) {
        int i = Arrays.binarySearch(sorted, v);
        while (i + 1 < sorted.length && sorted[i + 1] == v) {
            i++;
        }
        return i + 1;
    }

    @Test
    void mergeRules() {
        QuantileSketch a = new QuantileSketch(2, 50);
        a.update(new double[] {1, 2});
        byte[] before = a.toBytes();
        a.merge(new QuantileSketch(2, 50));
        assertThat(a.toBytes()).isEqualTo(before);
        assertThatThrownBy(() -> a.merge(a)).hasMessageContaining("itself");
        assertThatThrownBy(() -> a.merge(new QuantileSketch(2, 60))).hasMessageContaining("k mismatch");
        assertThatThrownBy(() -> a.merge(new QuantileSketch(3, 50))).hasMessageContaining("dimension");
    }

    @Test
    void bytesRoundTripAndGoldenV1() {
        QuantileSketch a = new QuantileSketch(2, 100);
        Random r = new Random(2);
        for (int i = 0; i < 5000; i++) {
            a.update(new double[] {r.nextGaussian(), r.nextDouble()});
        }
        byte[] bytes = a.toBytes();
        assertThat(bytes[0]).isEqualTo((byte) 1);
        assertThat(QuantileSketch.fromBytes(bytes).toBytes()).isEqualTo(bytes);
        byte[] golden = SketchFixtures.load("quantiles.v1.bin");
        QuantileSketch g = QuantileSketch.fromBytes(golden);
        assertThat(g.toBytes()).isEqualTo(golden).isEqualTo(SketchFixtures.quantiles().toBytes());
        assertThat(g.count()).isEqualTo(10);
        assertThat(g.quantile(1, 0.0)).isEqualTo(-9.0);
        assertThat(g.quantile(0, 1.0)).isEqualTo(4.5);
    }
}
