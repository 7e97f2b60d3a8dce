package io.driftguard.operators.model.adarnn;

import io.driftguard.operators.model.TrainingSet;
import io.driftguard.operators.stats.MedianHeuristic;
import io.driftguard.operators.stats.Mmd;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Temporal distribution characterization (AdaRNN, Du et al. 2021): splits a time-ordered history
 * into the K periods whose distributions differ most.
 *
 * <p>As in the paper's public code, candidate boundaries lie on a grid of {@code grid} equal cells
 * ({@code row(g) = floor(g * rows / grid)}); starting from the whole history, the boundary that
 * maximises the sum of the pairwise distances between all periods is added, one at a time, until
 * there are K periods. A candidate that would leave a period under {@code minPeriodRows} rows is
 * skipped; when none is left the split stops early (fewer periods). Ties go to the lower boundary.
 *
 * <p>The distance between two periods is the Gaussian-kernel MMD^2 (V-statistic, {@link
 * Mmd#biased}) between their records: each training row of a GRU holds {@code steps} records of
 * {@code recordWidth} values, and a period's records are thinned to at most {@code
 * samplesPerPeriod} by an even stride. The bandwidth is the median heuristic over an even sample of
 * the whole history (at most 1,000 records), fixed for all comparisons so that the distances are comparable. Deterministic.
 */
public final class Tdc {

    private final float[] x;
    private final int rows;
    private final int width;
    private final int recordWidth;
    private final int grid;
    private final int samples;
    private final double sigma;
    private final Map<Long, Double> cache = new HashMap<>();

    private Tdc(float[] x, int rows, int width, int recordWidth, int grid, int samples) {
        this.x = x;
        this.rows = rows;
        this.width = width;
        this.recordWidth = recordWidth;
        this.grid = grid;
        this.samples = samples;
        double s = MedianHeuristic.sigmaOfAllPairs(records(0, rows, Math.min(1000, 2 * samples)));
        this.sigma = s > 0 && Double.isFinite(s) ? s : 1.0;
    }

    /**
     * A characterization of {@code history}.
     *
     * @param recordWidth values per record (the GRU's inputs); must divide the row width
     * @param grid number of grid cells (candidate boundaries at the inner grid points)
     * @param samplesPerPeriod records compared per period at most
     */
    public static Tdc of(TrainingSet history, int recordWidth, int grid, int samplesPerPeriod) {
        Objects.requireNonNull(history, "history");
        if (recordWidth < 1 || history.width() % recordWidth != 0) {
            throw new IllegalArgumentException(
                    "record width " + recordWidth + " does not divide row width " + history.width());
        }
        if (grid < 1 || history.rows() < grid) {
            throw new IllegalArgumentException(
                    "a grid of " + grid + " cells needs at least as many rows, got " + history.rows());
        }
        if (samplesPerPeriod < 2) {
            throw new IllegalArgumentException("samples per period must be at least 2");
        }
        return new Tdc(history.x(), history.rows(), history.width(), recordWidth, grid,
                samplesPerPeriod);
    }

    /**
     * TDC with {@code cfg}'s settings: row boundaries of the periods, {@code [0, b_1, ..., rows]},
     * period {@code i} being rows {@code [b_i, b_(i+1))}.
     */
    public static int[] split(TrainingSet history, int recordWidth, AdaRnnConfig cfg) {
        if (cfg.periods() == 1 || history.rows() < cfg.grid()) {
            return new int[] {0, history.rows()};
        }
        Tdc tdc = of(history, recordWidth, cfg.grid(), cfg.samplesPerPeriod());
        return tdc.rowBoundaries(tdc.greedy(cfg.periods(), cfg.minPeriodRows()));
    }

    /** The first row of grid point {@code g}. */
    public int rowAt(int g) {
        return (int) ((long) g * rows / grid);
    }

    /** Row boundaries of grid points. */
    public int[] rowBoundaries(int[] gridPoints) {
        int[] out = new int[gridPoints.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = rowAt(gridPoints[i]);
        }
        return out;
    }

    /** The kernel bandwidth used for every distance. */
    public double sigma() {
        return sigma;
    }

    /** MMD^2 between the periods of grid cells {@code [a, b)} and {@code [c, d)} (cached). */
    public double distance(int a, int b, int c, int d) {
        long key = (((long) a * (grid + 1) + b) * (grid + 1) + c) * (grid + 1) + d;
        Double v = cache.get(key);
        if (v == null) {
            v = Mmd.biased(records(rowAt(a), rowAt(b), samples), records(rowAt(c), rowAt(d), samples),
                    sigma);
            cache.put(key, v);
        }
        return v;
    }

    /** The sum of the pairwise distances between the periods of sorted grid points {0, .., grid}. */
    public double objective(int[] gridPoints) {
        double sum = 0;
        for (int i = 0; i + 1 < gridPoints.length; i++) {
            for (int j = i + 1; j + 1 < gridPoints.length; j++) {
                sum += distance(gridPoints[i], gridPoints[i + 1], gridPoints[j], gridPoints[j + 1]);
            }
        }
        return sum;
    }

    /** Whether every period of sorted grid points holds at least {@code minRows} rows. */
    public boolean feasible(int[] gridPoints, int minRows) {
        for (int i = 0; i + 1 < gridPoints.length; i++) {
            if (rowAt(gridPoints[i + 1]) - rowAt(gridPoints[i]) < minRows) {
                return false;
            }
        }
        return true;
    }

    /**
     * The greedy search: sorted grid points {@code [0, g_1, ..., grid]} of at most {@code k}
     * periods.
     */
    public int[] greedy(int k, int minRows) {
        int[] selected = {0, grid};
        while (selected.length - 1 < k) {
            int[] best = null;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int c = 1; c < grid; c++) {
                if (Arrays.binarySearch(selected, c) >= 0) {
                    continue;
                }
                int[] trial = Arrays.copyOf(selected, selected.length + 1);
                trial[selected.length] = c;
                Arrays.sort(trial);
                if (!feasible(trial, minRows)) {
                    continue;
                }
                double v = objective(trial);
                if (v > bestValue) {
                    bestValue = v;
                    best = trial;
                }
            }
            if (best == null) {
                break;
            }
            selected = best;
        }
        return selected;
    }

    /** At most {@code max} records of rows {@code [from, to)}, evenly strided, as doubles. */
    private double[][] records(int from, int to, int max) {
        int perRow = width / recordWidth;
        long total = (long) (to - from) * perRow;
        int n = (int) Math.min(total, max);
        double[][] out = new double[n][recordWidth];
        for (int i = 0; i < n; i++) {
            long r = total == n ? i : i * total / n;
            int offset = (int) ((from + r / perRow) * width + (r % perRow) * recordWidth);
            for (int j = 0; j < recordWidth; j++) {
                out[i][j] = x[offset + j];
            }
        }
        return out;
    }
}
