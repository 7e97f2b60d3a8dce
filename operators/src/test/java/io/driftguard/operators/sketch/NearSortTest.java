package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearSortTest {

    /**
     * Against a brute-force reference: a stable comparison sort by the quantised position gives
     * exactly the arrangement, so values keep their input order only when their keys agree.
     */
    @Test
    void arrangesByQuantisedPositionStablyAndKeepsTheMultiset() {
        Random r = new Random(11);
        NearSort order = new NearSort(300);
        for (int trial = 0; trial < 400; trial++) {
            int n = r.nextInt(301);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                switch (trial % 5) {
                    case 0 -> v[i] = r.nextGaussian();
                    case 1 -> v[i] = 1000 + r.nextGaussian() * 1e-9;
                    case 2 -> v[i] = r.nextInt(5) - 2.0; // ties
                    case 3 -> v[i] = Math.exp(r.nextGaussian() * 8); // heavy tail
                    default -> v[i] = r.nextBoolean() ? 0.0 : -0.0;
                }
            }
            double lo = Arrays.stream(v).min().orElse(0);
            double range = Arrays.stream(v).max().orElse(0) - lo;
            Double[] expected = Arrays.stream(v).boxed().toArray(Double[]::new);
            if (range > 0) {
                double scale = NearSort.scale(range);
                Arrays.sort(expected, (x, y) -> Integer.compare(NearSort.key(x, lo, scale), NearSort.key(y, lo, scale)));
            }
            double[] arranged = v.clone();
            order.arrange(arranged, n);
            for (int i = 0; i < n; i++) {
                assertThat(Double.doubleToRawLongBits(arranged[i]))
                        .as("trial %s, position %s", trial, i)
                        .isEqualTo(Double.doubleToRawLongBits(expected[i]));
            }
        }
    }

    @Test
    void keysSpanTheRangeAndValuesFurtherApartThanALevelComeOutSorted() {
        assertThat(NearSort.key(-3.0, -3.0, NearSort.scale(5.0))).isZero();
        assertThat(NearSort.key(2.0, -3.0, NearSort.scale(5.0))).isEqualTo(65535);
        Random r = new Random(5);
        double[] v = new double[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextInt(4096) * 16.0; // 16 levels apart at the least
        }
        double[] expected = v.clone();
        Arrays.sort(expected);
        new NearSort(256).arrange(v, v.length);
        assertThat(v).containsExactly(expected);
    }

    @Test
    void leavesABatchWithoutAFiniteRangeAsItIs() {
        double[] overflow = {Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0};
        double[] constant = {2.5, 2.5, 2.5};
        NearSort order = new NearSort(8);
        order.arrange(overflow, 4);
        order.arrange(constant, 3);
        assertThat(overflow).containsExactly(Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0);
        assertThat(constant).containsExactly(2.5, 2.5, 2.5);
    }

    @Test
    void rejectsABatchLargerThanItsScratch() {
        assertThatThrownBy(() -> new NearSort(4).arrange(new double[5], 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NearSort(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
