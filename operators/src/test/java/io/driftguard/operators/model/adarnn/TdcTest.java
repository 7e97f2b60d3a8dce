package io.driftguard.operators.model.adarnn;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.sketch.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TDC's greedy split against an exhaustive search over the same grid, on seeded regimes. */
class TdcTest {

    private static final int GRID = 10;
    private static final int STEPS = 4;
    private static final int D = 3;

    /**
     * Rows of {@code STEPS} records of {@code D} Gaussian features; the record's mean is {@code
     * means[cell]} for each of the grid's 10 equal cells (time order).
     */
    private static TrainingSet regimes(double[] cellMeans, double[] cellScales, int rowsPerCell,
            long seed) {
        SplitMix64 rnd = new SplitMix64(seed);
        int rows = GRID * rowsPerCell;
        float[] x = new float[rows * STEPS * D];
        for (int r = 0; r < rows; r++) {
            int cell = r / rowsPerCell;
            for (int j = 0; j < STEPS * D; j++) {
                x[r * STEPS * D + j] = (float) (cellMeans[cell] + cellScales[cell] * rnd.nextGaussian());
            }
        }
        return new TrainingSet(x, rows, STEPS * D, new float[rows], null);
    }

    /** The best grid points of k periods by exhaustive search (ties: the first in lexical order). */
    private static int[] bruteForce(Tdc tdc, int k, int minRows) {
        List<int[]> all = new ArrayList<>();
        combinations(1, k - 1, new int[0], all);
        int[] best = null;
        double bestValue = Double.NEGATIVE_INFINITY;
        for (int[] inner : all) {
            int[] points = new int[k + 1];
            points[k] = GRID;
            System.arraycopy(inner, 0, points, 1, k - 1);
            if (!tdc.feasible(points, minRows)) {
                continue;
            }
            double v = tdc.objective(points);
            if (v > bestValue) {
                bestValue = v;
                best = points;
            }
        }
        return best;
    }

    private static void combinations(int from, int left, int[] prefix, List<int[]> out) {
        if (left == 0) {
            out.add(prefix);
            return;
        }
        for (int c = from; c < GRID; c++) {
            int[] next = Arrays.copyOf(prefix, prefix.length + 1);
            next[prefix.length] = c;
            combinations(c + 1, left - 1, next, out);
        }
    }

    @Test
    void twoRegimesAreSplitWhereTheyChange() {
        // regime A for cells 0-5, regime B (shifted mean) for cells 6-9
        double[] means = {0, 0, 0, 0, 0, 0, 2, 2, 2, 2};
        double[] scales = new double[GRID];
        Arrays.fill(scales, 1);
        Tdc tdc = Tdc.of(regimes(means, scales, 30, 1), D, GRID, 256);
        int[] greedy = tdc.greedy(2, 1);
        assertThat(greedy).containsExactly(0, 6, GRID);
        assertThat(greedy).containsExactly(bruteForce(tdc, 2, 1));
    }

    @Test
    void threeRegimesMatchTheExhaustiveSearch() {
        // three regimes (means 0, 3, -2 and a wider spread in the last), changes at cells 3 and 7
        double[] means = {0, 0, 0, 3, 3, 3, 3, -2, -2, -2};
        double[] scales = {1, 1, 1, 0.5, 0.5, 0.5, 0.5, 2, 2, 2};
        Tdc tdc = Tdc.of(regimes(means, scales, 20, 2), D, GRID, 200);
        int[] greedy = tdc.greedy(3, 1);
        int[] exhaustive = bruteForce(tdc, 3, 1);
        assertThat(greedy).containsExactly(0, 3, 7, GRID);
        assertThat(greedy).containsExactly(exhaustive);
        assertThat(tdc.objective(greedy)).isEqualTo(tdc.objective(exhaustive));
    }

    @Test
    void everyPeriodKeepsTheMinimumLength() {
        // the strongest change is one cell from the end; periods of at least 2 cells must move it
        double[] means = {0, 0, 0, 0, 0, 0, 0, 0, 0, 4};
        double[] scales = new double[GRID];
        Arrays.fill(scales, 1);
        TrainingSet h = regimes(means, scales, 25, 3);
        Tdc tdc = Tdc.of(h, D, GRID, 200);
        assertThat(tdc.greedy(2, 1)).containsExactly(0, 9, GRID);
        int[] constrained = tdc.greedy(2, 50);
        assertThat(constrained).containsExactly(bruteForce(tdc, 2, 50));
        int[] rows = tdc.rowBoundaries(constrained);
        for (int i = 0; i + 1 < rows.length; i++) {
            assertThat(rows[i + 1] - rows[i]).isGreaterThanOrEqualTo(50);
        }
        // too short a history for two such periods: one period
        assertThat(tdc.greedy(2, 200)).containsExactly(0, GRID);
    }

    @Test
    void splitGivesRowBoundariesAndIsDeterministic() {
        double[] means = {0, 0, 0, 0, 2, 2, 2, 0, 0, 0};
        double[] scales = new double[GRID];
        Arrays.fill(scales, 1);
        TrainingSet h = regimes(means, scales, 17, 4);
        AdaRnnConfig cfg = AdaRnnConfig.defaults().with(3, 0.1, 0);
        int[] a = Tdc.split(h, D, cfg);
        int[] b = Tdc.split(h, D, cfg);
        assertThat(a).containsExactly(b);
        // cells of 17 rows: grid points 4 and 7 are rows 68 and 119
        assertThat(a).containsExactly(0, 68, 119, 170);
    }
}
