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
            }
        }
    }

    @Test
    void constantArraysSelectTheirValue() {
        double[] a = new double[5000];
        Arrays.fill(a, 2.5);
        assertThat(Selection.bucketSelect(a, 2500)).isEqualTo(2.5);
    }
}
