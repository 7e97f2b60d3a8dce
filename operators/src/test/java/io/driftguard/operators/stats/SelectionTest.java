package io.driftguard.operators.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SelectionTest {

    @Test
    void bucketSelectEqualsTheSortedOrderStatisticIncludingTiesAndSkew() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 40; trial++) {
            int n = 4096 + r.nextInt(20_000);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                double u = r.nextDouble();
                // heavy right tail, many ties and a cluster near zero
                a[i] = trial % 3 == 0 ? Math.floor(u * 7) : trial % 3 == 1 ? -Math.log(1 - u) * 1e6 : u * u * u * u;
            }
            double[] sorted = a.clone();
            Arrays.sort(sorted);
            for (int k : new int[] {0, n / 2 - 1, n / 2, n - 1, r.nextInt(n)}) {
                assertThat(Selection.bucketSelect(a.clone(), k)).isEqualTo(sorted[k]);
                assertThat(Selection.select(a.clone(), k)).isEqualTo(sorted[k]);
                if (k + 1 < n) {
                    assertThat(Selection.bucketSelectAdjacent(a.clone(), k))
                            .containsExactly(sorted[k], sorted[k + 1]);
                }
            }
            // Two ranks straddling an isolated extreme value: the buckets between are empty.
            double[] two = {0.0, 1.0, 1.0, 1e9};
            double[] big = Arrays.copyOf(two, 5000);
            Arrays.fill(big, 4, 2500, 0.5);
            Arrays.fill(big, 2500, 5000, 2e9);
            double[] bigSorted = big.clone();
            Arrays.sort(bigSorted);
            for (int k : new int[] {2497, 2498, 2499, 2500}) {
                assertThat(Selection.bucketSelectAdjacent(big, k))
                        .containsExactly(bigSorted[k], bigSorted[k + 1]);
            }
        }
    }

    @Test
    void constantArraysSelectTheirValue() {
        double[] a = new double[5000];
        Arrays.fill(a, 2.5);
        assertThat(Selection.bucketSelect(a, 2500)).isEqualTo(2.5);
        assertThat(Selection.bucketSelectAdjacent(a, 2500)).containsExactly(2.5, 2.5);
    }
}
