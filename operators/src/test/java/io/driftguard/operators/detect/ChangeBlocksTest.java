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

    /**
     * An AR(1) series whose coefficient flips sign at {@code changeAt} (noise scaled so that the
     * values' variance stays 1), delay-embedded with m = 3, tau = 1, into an accumulator.
     */
    private static double[] ar1Window(int n, int changeAt, double phiBefore, double phiAfter, boolean dynamics, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] acc = ChangeBlocks.create(dynamics);
        double[] mean = {0, 0, 0};
        double[] inv = {1, 1, 1};
        double x2 = 0;
        double x1 = 0;
        double x0 = 0;
        for (int i = -50; i < n; i++) {
            double phi = i >= changeAt ? phiAfter : phiBefore;
            double next = phi * x0 + Math.sqrt(1 - phi * phi) * gaussian(r);
            x2 = x1;
            x1 = x0;
            x0 = next;
            if (i >= 0) {
                double[] e = {x0, x1, x2};
                ChangeBlocks.add(acc, i * ChangeBlocks.BLOCKS / n, ChangeBlocks.distance(e, mean, inv),
                        ChangeBlocks.increments(e, mean, inv, 1, 3), 1000 + i);
            }
        }
        return acc;
    }

    @Test
    void incrementsAreTheSquaredStandardisedStepsBetweenAdjacentLags() {
        // two features (a, b), three lags: a0 b0 a1 b1 a2 b2
        double[] x = {1, 10, 3, 10, 0, 16};
        double[] mean = {0, 10, 0, 10, 0, 10};
        double[] inv = {1, 0.5, 1, 0.5, 1, 0.5};
        // a: (1 - 3)^2 + (3 - 0)^2 = 13; b: (0 - 0)^2 + (0 - 3)^2 = 9
        assertThat(ChangeBlocks.increments(x, mean, inv, 2, 3)).isEqualTo(22.0);
        // a missing coordinate is imputed by the reference mean
        double[] missing = {1, 10, Double.NaN, 10, 0, 16};
        assertThat(ChangeBlocks.increments(missing, mean, inv, 2, 3)).isEqualTo(1.0 + 0.0 + 9.0);
    }

    @Test
    void locatesAChangeOfAutocorrelationThatKeepsTheValuesDistribution() {
        int n = 1600; // blocks of 100 records
        int exact = 0;
        int near = 0;
        for (long seed = 1; seed <= 20; seed++) {
            // y's mean rises (0.5 -> -0.5) and falls (-0.5 -> 0.5): both are located, nearly always
            // to the block, otherwise at most one block off
            long rising = ChangeBlocks.changeAt(ar1Window(n, 1000, 0.5, -0.5, true, seed), 1000);
            long falling = ChangeBlocks.changeAt(ar1Window(n, 600, -0.5, 0.5, true, seed), 1000);
            exact += (rising == 2000 ? 1 : 0) + (falling == 1600 ? 1 : 0);
            near += (Math.abs(rising - 2000) <= 100 ? 1 : 0) + (Math.abs(falling - 1600) <= 100 ? 1 : 0);
        }
        assertThat(near).isGreaterThanOrEqualTo(38);
        assertThat(exact).isGreaterThanOrEqualTo(34);
        // the distances alone do not see it
        int located = 0;
        for (long seed = 1; seed <= 20; seed++) {
            located += ChangeBlocks.changeAt(ar1Window(n, 1000, 0.5, -0.5, false, seed), 1000) == 2000 ? 1 : 0;
        }
        assertThat(located).isLessThanOrEqualTo(2);
    }

    @Test
    void withoutAChangeTheDynamicsChannelKeepsTheWindowStart() {
        int spurious = 0;
        for (long seed = 1; seed <= 40; seed++) {
            spurious += ChangeBlocks.changeAt(ar1Window(1600, 5000, 0.5, 0.5, true, seed), 1000) != 1000 ? 1 : 0;
        }
        assertThat(spurious).isLessThanOrEqualTo(2);
    }

    @Test
    void anAccumulatorWithoutTheDynamicsChannelIgnoresIncrements() {
        double[] acc = ChangeBlocks.create();
        assertThat(ChangeBlocks.hasDynamics(acc)).isFalse();
        ChangeBlocks.add(acc, 0, 1.0, 5.0, 7L);
        assertThat(acc).hasSize(4 * ChangeBlocks.BLOCKS);
        assertThat(ChangeBlocks.hasDynamics(ChangeBlocks.create(true))).isTrue();
    }
}
