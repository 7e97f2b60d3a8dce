package io.driftguard.operators.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChangeBlocksTest {

    private static double[] window(int n, int changeAt, double shift, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] acc = ChangeBlocks.create();
        double[] mean = {0, 0, 0};
        double[] inv = {1, 1, 1};
        for (int i = 0; i < n; i++) {
            double s = i >= changeAt ? shift : 0;
            double[] x = {gaussian(r) + s, gaussian(r), gaussian(r)};
            ChangeBlocks.add(acc, i * ChangeBlocks.BLOCKS / n, ChangeBlocks.distance(x, mean, inv), 1000 + i);
        }
        return acc;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Test
    void locatesAMeanShiftInsideTheWindowToItsBlock() {
        int n = 1600; // blocks of 100 records
        for (long seed = 1; seed <= 20; seed++) {
            long at = ChangeBlocks.changeAt(window(n, 1000, 2.0, seed), 1000);
            assertThat(at).as("seed %s", seed).isEqualTo(1000 + 1000);
        }
    }

    @Test
    void aChangeThatPredatesTheWindowOrNoChangeGivesTheWindowStart() {
        for (long seed = 1; seed <= 20; seed++) {
            assertThat(ChangeBlocks.changeAt(window(1600, 0, 2.0, seed), 1000)).isEqualTo(1000);
            assertThat(ChangeBlocks.changeAt(window(1600, 5000, 0.0, seed), 1000)).isEqualTo(1000);
        }
    }

    @Test
    void squaredDistanceIsStandardised() {
        assertThat(ChangeBlocks.distance(new double[] {3, 1}, new double[] {1, 1}, new double[] {0.5, 2}))
                .isEqualTo(1.0);
    }
}
