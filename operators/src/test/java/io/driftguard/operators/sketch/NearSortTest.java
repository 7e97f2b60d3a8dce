package io.driftguard.operators.sketch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NearSortTest {
    private static final double[] SPECIAL = {
        0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0, -1.0, 1e-300, -1e300
    };

    @Test
    void orderKeyFollowsNumericOrderAndRoundTrips() {
        Random r = new Random(3);
        double[] xs = new double[4000];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i < SPECIAL.length ? SPECIAL[i] : r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20);
        }
        for (double x : xs) {
            assertThat(Double.doubleToRawLongBits(NearSort.fromOrderKey(NearSort.orderKey(x))))
                    .isEqualTo(Double.doubleToRawLongBits(x));
        }
        double[] sorted = xs.clone();
        Arrays.sort(sorted); // -0.0 before 0.0, as the key orders them
        for (int i = 1; i < sorted.length; i++) {
            int c = Long.compareUnsigned(NearSort.orderKey(sorted[i - 1]), NearSort.orderKey(sorted[i]));
            assertThat(c).as("%s vs %s", sorted[i - 1], sorted[i]).isLessThanOrEqualTo(0);
            if (Double.compare(sorted[i - 1], sorted[i]) < 0) {
                assertThat(c).isLessThan(0);
            }
        }
    }

    /**
     * Against a brute-force reference: a stable sort by the top 24 bits of the key gives exactly
     * the arrangement, so values keep their input order only when those bits agree.
     */
    @Test
    void arrangesByTheTopBitsStablyAndKeepsTheMultiset() {
        Random r = new Random(11);
        NearSort order = new NearSort(300);
        for (int trial = 0; trial < 200; trial++) {
            int n = r.nextInt(301);
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                switch (trial % 4) {
                    case 0 -> v[i] = r.nextGaussian();
                    case 1 -> v[i] = 1000 + r.nextGaussian() * 1e-3; // one exponent: two passes skip
                    case 2 -> v[i] = r.nextInt(5) - 2.0; // ties
                    default -> v[i] = r.nextBoolean() ? SPECIAL[r.nextInt(SPECIAL.length)] : Math.exp(r.nextGaussian() * 30);
                }
            }
            Double[] boxed = Arrays.stream(v).boxed().toArray(Double[]::new);
            Arrays.sort(boxed, (x, y) -> Long.compareUnsigned(top(x), top(y))); // stable
            double[] arranged = v.clone();
            order.arrange(arranged, n);
            for (int i = 0; i < n; i++) {
                assertThat(Double.doubleToRawLongBits(arranged[i]))
                        .as("trial %s, position %s", trial, i)
                        .isEqualTo(Double.doubleToRawLongBits(boxed[i]));
            }
        }
    }

    @Test
    void valuesThatDifferInTheTopBitsComeOutSorted() {
        Random r = new Random(5);
        double[] v = new double[256];
        for (int i = 0; i < v.length; i++) {
            v[i] = (r.nextBoolean() ? 1 : -1) * Math.scalb(1.0, r.nextInt(200) - 100) * (1 + r.nextInt(8) / 8.0);
        }
        double[] expected = v.clone();
        Arrays.sort(expected);
        new NearSort(256).arrange(v, v.length);
        assertThat(v).containsExactly(expected);
    }

    @Test
    void rejectsABatchLargerThanItsScratch() {
        assertThatThrownBy(() -> new NearSort(4).arrange(new double[5], 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NearSort(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static long top(double x) {
        return NearSort.orderKey(x) >>> (Long.SIZE - NearSort.BITS);
    }
}
